#!/usr/bin/env bash
# Builds the benchmark corpus for bench/repo/run.sh into DIR:
#   DIR/packages/      1,000 noarch RPMs bench-0001 … bench-1000, release 1
#   DIR/updates/       10 of them again with release 2 (1 %), for the update case
#   DIR/replacements   "old new" file names, one pair a line
#   DIR/.complete      written last; holds the corpus version
# Each package carries a payload of random (incompressible) bytes of about 4 KiB, 64 KiB,
# 256 KiB or 2 MiB (about 100 MB in all), a command in /usr/bin, for half of them a
# configuration file in /etc, a README, and varied Requires/Provides/Recommends/Conflicts/
# Obsoletes. All are subpackages of one spec, built by one rpmbuild run (gzip level 1 payloads,
# no post-install scripts), which takes a minute or two.
# Usage: bench/repo/make-corpus.sh DIR VERSION
set -euo pipefail

out=${1:?usage: make-corpus.sh DIR VERSION}
version=${2:?usage: make-corpus.sh DIR VERSION}
count=1000

# The payload class of package i: a permutation of 1..count (389 is coprime with 1000) spreads
# the classes over the names; 15 packages of 2 MiB, 185 of 256 KiB, 350 of 64 KiB, 450 of 4 KiB.
payload_size() {
  local i=$1 r=$(( ($1 * 389) % 1000 )) base
  if [ $r -lt 15 ]; then base=2097152
  elif [ $r -lt 200 ]; then base=262144
  elif [ $r -lt 550 ]; then base=65536
  else base=4096
  fi
  # -12 % … +11 % around the class size, so no two sizes in a class line up exactly.
  echo $(( base - base / 8 + base * ((i * 37) % 16) / 64 ))
}

# Packages replaced in the update case: every hundredth, starting at 50.
is_replaced() { [ $(( $1 % 100 )) -eq 50 ]; }

name_of() { printf 'bench-%04d' "$1"; }

changelog_date() { LC_ALL=C date -u -d "2026-01-05 + $(( $1 * 23 )) days" '+%a %b %d %Y'; }

# write_spec RELEASE INDEX… : one spec whose subpackages are the given indices.
write_spec() {
  local release=$1 i name size r
  shift
  cat <<HEAD
Name: bench-corpus
Version: 1.0
Release: $release
Summary: Benchmark corpus for repo-builder
License: MIT
URL: https://example.org/watchsync/bench
BuildArch: noarch

%description
Not built itself: its subpackages are the corpus.

HEAD
  for i in "$@"; do
    name=$(name_of "$i")
    size=$(payload_size "$i")
    echo "%package -n $name"
    echo "Summary: Benchmark package $i with a payload of $size bytes"
    echo "Provides: bench-capability-$i = 1.0"
    echo "Provides: bench-group-$(( i % 50 ))"
    [ $(( i % 3 )) -eq 0 ] && echo "Requires: $(name_of $(( (i * 7) % count + 1 ))) >= 1.0"
    [ $(( i % 5 )) -eq 0 ] && echo "Requires: bench-group-$(( (i / 5) % 50 ))"
    [ $(( i % 4 )) -eq 1 ] && echo "Requires(post): /bin/sh"
    [ $(( i % 7 )) -eq 0 ] && echo "Recommends: $(name_of $(( (i * 13) % count + 1 )))"
    [ $(( i % 11 )) -eq 0 ] && echo "Conflicts: bench-legacy-$i < 0.9"
    [ $(( i % 13 )) -eq 0 ] && echo "Obsoletes: bench-old-$i < 1.0"
    echo
    echo "%description -n $name"
    echo "Package $i of the repo-builder benchmark corpus: $size random bytes in"
    echo "/usr/share/$name/data.bin and a command in /usr/bin."
    echo
    echo "%files -n $name"
    echo "%dir /usr/share/$name"
    echo "/usr/share/$name/data.bin"
    echo "%doc /usr/share/$name/README"
    echo "/usr/bin/$name"
    [ $(( i % 2 )) -eq 0 ] && echo "%config(noreplace) /etc/$name.conf"
    echo
  done
  echo "%install"
  # One shell function, called once a package, keeps the %install section short.
  echo 'add() {'
  echo '  mkdir -p %{buildroot}/usr/share/$1 %{buildroot}/usr/bin %{buildroot}/etc'
  echo '  head -c $2 /dev/urandom > %{buildroot}/usr/share/$1/data.bin'
  echo '  echo "$1: a package of the repo-builder benchmark corpus." > %{buildroot}/usr/share/$1/README'
  echo '  echo "#!/bin/sh" > %{buildroot}/usr/bin/$1'
  echo '  echo "exec cat /usr/share/$1/README" >> %{buildroot}/usr/bin/$1'
  echo '  chmod 0755 %{buildroot}/usr/bin/$1'
  echo '  if [ $3 = yes ]; then echo "name = $1" > %{buildroot}/etc/$1.conf; fi'
  echo '}'
  for i in "$@"; do
    if [ $(( i % 2 )) -eq 0 ]; then r=yes; else r=no; fi
    echo "add $(name_of "$i") $(payload_size "$i") $r"
  done
  echo
  echo "%changelog"
  if [ "$release" -gt 1 ]; then
    echo "* $(changelog_date 13) Bench Corpus <bench@example.org> - 1.0-$release"
    echo "- Replacement build for the update case"
    echo
  fi
  for k in 12 11 10 9 8 7 6 5 4 3 2 1; do
    echo "* $(changelog_date "$k") Bench Corpus <bench@example.org> - 0.$k-1"
    echo "- Change number $k: adjust the payload and the command"
    echo
  done
}

build() {
  local spec=$1 dest=$2 top=$3
  nice -n 10 rpmbuild -bb --quiet \
    --define "_topdir $top" \
    --define "_rpmdir $dest" \
    --define "_rpmfilename %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
    --define "_build_id_links none" \
    --define "_binary_payload w1.gzdio" \
    --define "__os_install_post %{nil}" \
    --define "debug_package %{nil}" \
    "$spec"
}

if [ -e "$out" ]; then
  echo "make-corpus: $out exists already" >&2
  exit 1
fi
tmp="$out.partial"
rm -rf "$tmp"
mkdir -p "$tmp/packages" "$tmp/updates" "$tmp/build"

all=$(seq 1 "$count")
replaced=$(for i in $all; do if is_replaced "$i"; then echo "$i"; fi; done)
replaced_count=$(echo "$replaced" | wc -l)
write_spec 1 $all > "$tmp/build/corpus.spec"
write_spec 2 $replaced > "$tmp/build/updates.spec"
build "$tmp/build/corpus.spec" "$tmp/packages" "$tmp/build/top"
build "$tmp/build/updates.spec" "$tmp/updates" "$tmp/build/top"

for i in $replaced; do
  echo "$(name_of "$i")-1.0-1.noarch.rpm $(name_of "$i")-1.0-2.noarch.rpm"
done > "$tmp/replacements"

built=$(find "$tmp/packages" -name '*.rpm' | wc -l)
updates=$(find "$tmp/updates" -name '*.rpm' | wc -l)
if [ "$built" -ne "$count" ] || [ "$updates" -ne "$replaced_count" ]; then
  echo "make-corpus: expected $count packages and $replaced_count updates, rpmbuild made $built and $updates" >&2
  exit 1
fi
while read -r old new; do
  [ -f "$tmp/packages/$old" ] && [ -f "$tmp/updates/$new" ] || {
    echo "make-corpus: replacement pair missing: $old $new" >&2
    exit 1
  }
done < "$tmp/replacements"
# Every package must pass rpm's own digest checks.
if ! nice -n 10 rpm -K --nosignature "$tmp"/packages/*.rpm "$tmp"/updates/*.rpm > "$tmp/build/rpm-K.log"; then
  grep -v ': digests OK$' "$tmp/build/rpm-K.log" >&2
  exit 1
fi

rm -rf "$tmp/build"
echo "$version" > "$tmp/.complete"
mv "$tmp" "$out"
