#!/usr/bin/env bash
# Fetches real third-party RPMs for bench/repo/parity.sh: the packages that rpm, dnf, libdnf and
# librepo ship in their test suites (several vintages of rpm, signed and unsigned, modular repos,
# i686/s390x/x86_64/noarch/src, file dependencies, epochs, odd changelogs), taken from the
# source tarballs in Debian's archive, each checked against the SHA-256 that Debian's signed
# Sources index gives for it. Extracts the RPMs under DIR/SOURCE/... as the tarballs lay them out.
# rpm's deliberately corrupted package (hello-2.0-1.x86_64-corrupted.rpm) is left out:
# createrepo_c indexes it, repo-builder index refuses it (its payload digest does not match).
# Usage: bench/repo/third-party-rpms.sh --to DIR [--mirror URL] [--suite SUITE]
set -euo pipefail
export LC_ALL=C

to=
mirror=http://deb.debian.org/debian
suite=bookworm
sources=(rpm dnf libdnf librepo)
usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; }
while [ $# -gt 0 ]; do
  case $1 in
    --to) to=${2:?--to needs a directory}; shift 2 ;;
    --mirror) mirror=${2:?--mirror needs a URL}; shift 2 ;;
    --suite) suite=${2:?--suite needs a name}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "third-party-rpms: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$to" ] || { echo "third-party-rpms: --to DIR is needed" >&2; usage >&2; exit 2; }
for c in curl xz sha256sum tar; do
  command -v "$c" >/dev/null 2>&1 || { echo "third-party-rpms: $c is not installed" >&2; exit 1; }
done

mkdir -p "$to"
work=$(mktemp -d "${TMPDIR:-/tmp}/third-party-rpms.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Sources.xz is checked against the suite's InRelease, and each tarball against Sources.
curl -fsS -m 60 -o "$work/InRelease" "$mirror/dists/$suite/InRelease"
curl -fsS -m 300 -o "$work/Sources.xz" "$mirror/dists/$suite/main/source/Sources.xz"
want=$(awk '/^SHA256:/{s=1; next} /^[A-Za-z]/{s=0} s && $3=="main/source/Sources.xz"{print $1}' "$work/InRelease")
have=$(sha256sum "$work/Sources.xz" | cut -d' ' -f1)
if [ -z "$want" ] || [ "$want" != "$have" ]; then
  echo "third-party-rpms: $mirror/dists/$suite/main/source/Sources.xz does not match the checksum in InRelease" >&2
  exit 1
fi
xz -dc "$work/Sources.xz" >"$work/Sources"

for source in "${sources[@]}"; do
  # The source's directory and its orig tarball's name and SHA-256, from its paragraph.
  read -r dir file sha < <(awk -v p="$source" '
    $0 == "Package: " p { f = 1 }
    /^$/ { if (f && dir && file) { print dir, file, sha; exit } f = 0 }
    f && /^Directory:/ { dir = $2 }
    f && /^Checksums-Sha256:/ { c = 1; next }
    f && /^[A-Za-z]/ { c = 0 }
    f && c && $3 ~ /\.orig\.tar\./ { file = $3; sha = $1 }
  ' "$work/Sources") || { echo "third-party-rpms: no source package $source in $suite" >&2; exit 1; }
  curl -fsS -m 300 -o "$work/$file" "$mirror/$dir/$file"
  if [ "$(sha256sum "$work/$file" | cut -d' ' -f1)" != "$sha" ]; then
    echo "third-party-rpms: $mirror/$dir/$file does not match its SHA-256 in Sources" >&2
    exit 1
  fi
  mkdir -p "$to/$source"
  tar -xf "$work/$file" -C "$to/$source" --wildcards '*.rpm' --exclude='*-corrupted.rpm'
  echo "third-party-rpms: $source ($file): $(find "$to/$source" -name '*.rpm' | wc -l) RPMs" >&2
done
echo "third-party-rpms: $(find "$to" -name '*.rpm' | wc -l) RPMs under $to" >&2
