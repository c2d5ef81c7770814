#!/usr/bin/env bash
# Indexes the same corpus of RPMs with createrepo_c and with repo-builder, each on its own copy,
# and prints wall time, CPU time and peak RSS of both with the ratio repo-builder / createrepo_c
# for three cases: a full index, an --update with nothing changed, and an --update after 1 % of
# the packages were replaced by a higher release. A benchmark, not a test: see bench/README.md.
# Usage: bench/repo/run.sh [--runs N] [--copies N] [--corpus DIR] [--repo-builder-jar JAR]
#                          [--repo-builder-cmd "COMMAND PREFIX"]
# --copies N indexes N hard-linked copies of the corpus at once (N × 1,000 packages), to see how
# the ratio moves once start-up weighs less.
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/bench/repo

corpus_version=1
runs=3
copies=1
corpus=/var/tmp/watchsync-repo-bench/corpus-v$corpus_version
jar=$root/repo-builder/target/repo-builder.jar
jar_given=no
builder_cmd=

usage() { sed -n '2,7s/^# \{0,1\}//p' "$0"; }
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --runs=*) runs=${1#--runs=}; shift ;;
    --copies) copies=${2:?--copies needs a value}; shift 2 ;;
    --copies=*) copies=${1#--copies=}; shift ;;
    --corpus) corpus=${2:?--corpus needs a directory}; shift 2 ;;
    --corpus=*) corpus=${1#--corpus=}; shift ;;
    --repo-builder-jar) jar=$(realpath -m "${2:?--repo-builder-jar needs a file}"); jar_given=yes; shift 2 ;;
    --repo-builder-jar=*) jar=$(realpath -m "${1#--repo-builder-jar=}"); jar_given=yes; shift ;;
    --repo-builder-cmd) builder_cmd=${2:?--repo-builder-cmd needs a command}; shift 2 ;;
    --repo-builder-cmd=*) builder_cmd=${1#--repo-builder-cmd=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "bench: --runs needs a positive number, not '$runs'" >&2
  exit 2
fi
if ! [[ $copies =~ ^[1-9][0-9]*$ ]]; then
  echo "bench: --copies needs a positive number, not '$copies'" >&2
  exit 2
fi
# Paths given on the command line are taken from where the script was started; from here on
# everything runs in the repository's root.
corpus=$(realpath -m "$corpus")
cd "$root"

# ---------------------------------------------------------------- tools

missing=()
for c in rpmbuild rpm createrepo_c python3 gzip; do
  command -v "$c" >/dev/null 2>&1 || missing+=("$c")
done
[ -x /usr/bin/time ] || missing+=(/usr/bin/time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: missing ${missing[*]}; running scripts/install-deps" >&2
  ./scripts/install-deps
fi

createrepo=(createrepo_c --no-database --workers 2)
if [ -n "$builder_cmd" ]; then
  read -ra builder <<< "$builder_cmd"
else
  if [ "$jar_given" = no ] && { [ ! -f "$jar" ] ||
      [ -n "$(find repo-builder/src repo-builder/pom.xml pom.xml -newer "$jar" -print -quit)" ]; }; then
    echo "bench: building $jar" >&2
    mvn -B -q -ntp -DskipTests -pl repo-builder -am package
  fi
  if [ ! -f "$jar" ]; then
    echo "bench: $jar not found (build it with mvn package, or name it with --repo-builder-jar)" >&2
    exit 1
  fi
  # The JVM options the package ships (/etc/sysconfig/watchsync-repo-builder), as its launcher
  # passes them: repo-builder as installed, without options of the user's.
  read -ra shipped <<< "$(. packaging/repo-builder.sysconfig && echo "$REPO_BUILDER_JAVA_OPTS")"
  builder=(java "${shipped[@]}" -jar "$jar" index --workers 2)
fi

# ---------------------------------------------------------------- corpus

if [ -f "$corpus/.complete" ] && [ "$(cat "$corpus/.complete")" = "$corpus_version" ]; then
  echo "bench: using the corpus in $corpus" >&2
else
  if [ -f "$corpus/.complete" ]; then
    echo "bench: $corpus holds corpus version $(cat "$corpus/.complete"), not $corpus_version; rebuilding" >&2
    rm -rf "$corpus"
  elif [ -e "$corpus" ]; then
    echo "bench: $corpus exists but is not a finished corpus (no .complete); remove it or pick another --corpus" >&2
    exit 1
  fi
  echo "bench: generating the corpus in $corpus (1,000 RPMs, about 110 MB; a minute or two)" >&2
  started=$SECONDS
  "$here/make-corpus.sh" "$corpus" "$corpus_version"
  echo "bench: corpus generated in $(( SECONDS - started )) s" >&2
fi
packages=$(( $(find "$corpus/packages" -name '*.rpm' | wc -l) * copies ))
replaced=$(( $(wc -l < "$corpus/replacements") * copies ))
corpus_mb=$(du -sb "$corpus/packages" | awk -v n="$copies" '{ printf "%.0f", n * $1 / 1048576 }')

# The package directory of copy I (1..copies) in a tool's repository DIR.
copy_dir() { if [ "$copies" -eq 1 ]; then echo "$1"; else echo "$1/copy-$2"; fi; }

# ---------------------------------------------------------------- runs

work=$(mktemp -d "$(dirname "$corpus")/run.XXXXXX")
cleanup() {
  if [ -n "${BENCH_KEEP:-}" ]; then echo "bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir "$work/logs"
results=$work/results.tsv
: > "$results"

# Hard links where the file system allows: both tools only read the packages.
link_or_copy() { cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; }

# Both tools read the packages from the page cache, the first run as much as the last.
cat "$corpus"/packages/*.rpm "$corpus"/updates/*.rpm > /dev/null

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# measure LOG COMMAND… : runs COMMAND under GNU time; sets wall, user, sys, rss (KiB).
# A failing command ends the benchmark with its output.
measure() {
  local log=$1 start end us
  shift
  start=$EPOCHREALTIME
  if ! /usr/bin/time -f '%U %S %M' -o "$log.time" "$@" > "$log.out" 2> "$log.err"; then
    {
      echo "bench: FAILED: $*"
      echo "--- exit status and resources (GNU time):"; cat "$log.time"
      echo "--- stderr:"; cat "$log.err"
      echo "--- stdout (last 20 lines):"; tail -n 20 "$log.out"
    } >&2
    exit 1
  fi
  end=$EPOCHREALTIME
  us=$(( 10#${end/./} - 10#${start/./} ))
  wall=$(printf '%d.%06d' $(( us / 1000000 )) $(( us % 1000000 )))
  read -r user sys rss < <(tail -n 1 "$log.time")
}

case_label() {
  case $1 in
    full) echo "full index" ;;
    noop) echo "--update, nothing changed" ;;
    replace) echo "--update, $replaced replaced" ;;
  esac
}

for run in $(seq 1 "$runs"); do
  rm -rf "$work/createrepo_c" "$work/repo-builder"
  for tool in createrepo_c repo-builder; do
    [ "$copies" -eq 1 ] || mkdir "$work/$tool"
    for i in $(seq 1 "$copies"); do
      link_or_copy "$corpus/packages" "$(copy_dir "$work/$tool" "$i")"
    done
  done
  # Alternate which tool goes first, so neither always meets the other's after-effects.
  order=(createrepo_c repo-builder)
  [ $(( run % 2 )) -eq 1 ] || order=(repo-builder createrepo_c)
  for case in full noop replace; do
    if [ "$case" = replace ]; then
      while read -r old new; do
        for tool in createrepo_c repo-builder; do
          for i in $(seq 1 "$copies"); do
            dir=$(copy_dir "$work/$tool" "$i")
            rm "$dir/$old"
            link_or_copy "$corpus/updates/$new" "$dir/$new"
          done
        done
      done < "$corpus/replacements"
    fi
    update=()
    [ "$case" = full ] || update=(--update)
    declare -A line=()
    for tool in "${order[@]}"; do
      if [ "$tool" = createrepo_c ]; then cmd=("${createrepo[@]}"); else cmd=("${builder[@]}"); fi
      measure "$work/logs/$run-$case-$tool" "${cmd[@]}" "${update[@]}" "$work/$tool"
      line[$tool]="$case	$tool	$run	$wall	$user	$sys	$rss"
    done
    if verdict=$(python3 "$here/compare_repos.py" "$work/createrepo_c" "$work/repo-builder"); then
      check=ok
    else
      check=differs
      echo "bench: WARNING: $(case_label "$case"), run $run:" \
        "repo-builder's repository differs from createrepo_c's: $verdict" >&2
    fi
    printf '%s\t-\n%s\t%s\n' "${line[createrepo_c]}" "${line[repo-builder]}" "$check" >> "$results"
    printf 'bench: run %d/%d, %s: createrepo_c %.2f s, repo-builder %.2f s, packages %s\n' "$run" "$runs" \
      "$(case_label "$case")" "$(cut -f4 <<< "${line[createrepo_c]}")" "$(cut -f4 <<< "${line[repo-builder]}")" \
      "$( [ "$check" = ok ] && echo "the same" || echo DIFFER)" >&2
    unset line
  done
done

python3 "$here/report.py" "$results" --packages "$packages" --replaced "$replaced" --corpus-mb "$corpus_mb" \
  --runs "$runs" --load "$load_before" --repo-builder "${builder[*]}"
