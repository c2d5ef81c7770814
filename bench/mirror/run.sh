#!/usr/bin/env bash
# repo-builder mirror side by side with dnf: the same upstream (the 1,000-package corpus of
# bench/repo plus a /bin/sh provider, indexed by createrepo_c) served on 127.0.0.1 with an added
# latency per request. Prints wall time and peak RSS of:
#   closure   repo-builder mirror 'bench-*'  vs  dnf download --resolve --alldeps 'bench-*'
#   full      repo-builder mirror --all      vs  dnf reposync
#   re-run    repo-builder mirror 'bench-*' again, nothing new (and the JVM's start-up alone)
# Each case runs --runs times (default 3), the best wall time is reported with its CPU time
# (user + system, less sensitive to other load on the machine) and peak RSS.
# A benchmark, not a test: see bench/README.md.
# Usage: bench/mirror/run.sh [--latency MS] [--jobs N] [--runs N] [--corpus DIR]
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/bench/mirror

latency=20
jobs=8
runs=3
corpus=/var/tmp/watchsync-repo-bench/corpus-v1
work=/var/tmp/watchsync-mirror-bench
jar=$root/repo-builder/target/repo-builder.jar
while [ $# -gt 0 ]; do
  case $1 in
    --latency) latency=${2:?--latency needs a value}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a value}; shift 2 ;;
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --corpus) corpus=${2:?--corpus needs a directory}; shift 2 ;;
    -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument: $1" >&2; exit 2 ;;
  esac
done
for tool in createrepo_c dnf rpmbuild python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-deps)" >&2; exit 1; }
done
dnf download --help >/dev/null 2>&1 || { echo "bench: dnf download is missing (dnf-plugins-core)" >&2; exit 1; }

if [ ! -f "$corpus/.complete" ]; then
  echo "bench: building the corpus in $corpus (a minute or two)" >&2
  "$root/bench/repo/make-corpus.sh" "$corpus" 1
fi
if [ ! -f "$jar" ] || [ -n "$(find "$root/repo-builder/src" -newer "$jar" -print -quit)" ]; then
  (cd "$root" && mvn -B -ntp -q -pl repo-builder package -DskipTests)
fi

upstream=$work/upstream
if [ ! -f "$upstream/repodata/repomd.xml" ]; then
  rm -rf "$upstream"
  mkdir -p "$upstream/Packages" "$work/shell"
  cp -l "$corpus"/packages/*.rpm "$upstream/Packages/" 2>/dev/null || cp "$corpus"/packages/*.rpm "$upstream/Packages/"
  # The corpus requires /bin/sh, which an upstream of a distribution provides.
  cat > "$work/shell/shell.spec" <<'SPEC'
Name: bench-shell
Version: 1.0
Release: 1
Summary: Provides /bin/sh for the benchmark
License: MIT
BuildArch: noarch
Provides: /bin/sh
%description
Provides /bin/sh.
%files
SPEC
  rpmbuild --quiet --define "_topdir $work/shell/top" -bb "$work/shell/shell.spec"
  cp "$work"/shell/top/RPMS/noarch/*.rpm "$upstream/Packages/"
  createrepo_c --quiet "$upstream"
fi

port_file=$work/port
rm -f "$port_file"
python3 "$here/serve.py" "$upstream" "$latency" "$port_file" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
url=http://127.0.0.1:$(cat "$port_file")/

# "WALL RSS_KB CPU" of a command, its output discarded.
measure() {
  local out=$work/time.out
  /usr/bin/time -f '%e %M %U %S' -o "$out" "$@" >/dev/null 2>"$work/last.err" || {
    echo "bench: failed: $*" >&2; cat "$work/last.err" >&2; exit 1; }
  awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$out"
}
# The best (by wall time) of $runs results, one per line on stdin.
best() { sort -n | head -n 1; }
dnf_cmd() {
  local name=$1; shift
  rm -rf "$work/dnf-$name"; mkdir -p "$work/dnf-$name/root"
  measure dnf --installroot="$work/dnf-$name/root" --releasever=9 --setopt=reposdir=/dev/null \
    --setopt=cachedir="$work/dnf-$name/cache" --disableplugin=local -q \
    --repofrompath=up,"$url" --repo=up "$@"
}
# The JVM options the package ships (/etc/sysconfig/watchsync-repo-builder), as its launcher
# passes them: repo-builder as installed.
read -ra shipped <<< "$(. "$root/packaging/repo-builder.sysconfig" && echo "$REPO_BUILDER_JAVA_OPTS")"
mirror_cmd() {
  measure java "${shipped[@]}" -jar "$jar" mirror --jobs "$jobs" --repo up="$url" --arch x86_64 "$@"
}

jvm=$(for _ in $(seq "$runs"); do measure java "${shipped[@]}" -jar "$jar" --help; done | best)
closure=$(for _ in $(seq "$runs"); do
  rm -rf "$work/closure"; mirror_cmd --to "$work/closure" 'bench-*'; done | best)
dnf_closure=$(for _ in $(seq "$runs"); do
  dnf_cmd download download --resolve --alldeps --destdir "$work/dnf-download/out" 'bench-*'; done | best)
rerun=$(for _ in $(seq "$runs"); do mirror_cmd --to "$work/closure" 'bench-*'; done | best)
full=$(for _ in $(seq "$runs"); do rm -rf "$work/full"; mirror_cmd --to "$work/full" --all; done | best)
dnf_full=$(for _ in $(seq "$runs"); do
  dnf_cmd reposync reposync --download-path "$work/dnf-reposync/out"; done | best)

count() { find "$1" -name '*.rpm' | wc -l; }
row() {
  local what=$1 ours=$2 theirs=$3 n1=$4 n2=$5
  read -r w1 r1 c1 <<<"$ours"; read -r w2 r2 c2 <<<"$theirs"
  printf '| %s | %s s | %s s | %d MB | %s | %s s | %s s | %d MB | %s | %.2f |\n' "$what" "$w1" "$c1" \
    $((r1 / 1024)) "$n1" "$w2" "$c2" $((r2 / 1024)) "$n2" "$(echo "$w1 / $w2" | bc -l)"
}
{
  echo "Latency ${latency} ms per request, --jobs $jobs, best of $runs, $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%d)."
  echo
  echo "| case | repo-builder wall | CPU | RSS | files | dnf wall | CPU | RSS | files | wall ratio |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  row "closure ('bench-*')" "$closure" "$dnf_closure" "$(count "$work/closure/Packages")" "$(count "$work/dnf-download/out")"
  row "full (--all / reposync)" "$full" "$dnf_full" "$(count "$work/full/Packages")" "$(count "$work/dnf-reposync/out")"
  read -r w r _ <<<"$rerun"; read -r jw _ _ <<<"$jvm"
  echo
  echo "Re-run with nothing new: $w s, $((r / 1024)) MB (JVM start-up alone: $jw s)."
} | tee "$root/bench/results-mirror.md"
