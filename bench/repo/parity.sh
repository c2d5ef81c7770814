#!/usr/bin/env bash
# Checks, side by side with createrepo_c, that repo-builder index writes the same metadata files
# byte for byte on a nested tree of real packages. The tree is made (hard links where possible)
# from the RPMs found under --rpms DIR, third-party packages or the benchmark corpus, laid out as
# mirrors lay them out: ARCH/Packages/L/FILE (L the file name's first letter), with every fifth
# package again under updates/ARCH/ (one file name in two directories). Both tools index their own
# copy with each option set; primary, filelists and other are compared compressed (.gz) and open.
# Prints one line per option set; exit status 0 when every one is identical, 1 otherwise.
# Usage: bench/repo/parity.sh --rpms DIR [--repo-builder-jar JAR] [--keep]
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "$0")/../.." && pwd)

rpms=
jar=$root/repo-builder/target/repo-builder.jar
keep=no
usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; }
while [ $# -gt 0 ]; do
  case $1 in
    --rpms) rpms=${2:?--rpms needs a directory}; shift 2 ;;
    --rpms=*) rpms=${1#--rpms=}; shift ;;
    --repo-builder-jar) jar=$(realpath -m "${2:?--repo-builder-jar needs a file}"); shift 2 ;;
    --repo-builder-jar=*) jar=$(realpath -m "${1#--repo-builder-jar=}"); shift ;;
    --keep) keep=yes; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "parity: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
if [ -z "$rpms" ]; then
  echo "parity: --rpms DIR is needed (e.g. the corpus's packages/ made by make-corpus.sh)" >&2
  usage >&2
  exit 2
fi
if [ ! -d "$rpms" ]; then
  echo "parity: --rpms $rpms: not a directory" >&2
  exit 2
fi
for c in createrepo_c java gzip cmp; do
  command -v "$c" >/dev/null 2>&1 || { echo "parity: $c is not installed" >&2; exit 1; }
done
if [ ! -f "$jar" ]; then
  echo "parity: $jar not found (build it with mvn -pl repo-builder package, or name it with --repo-builder-jar)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/repo-parity.XXXXXX")
cleanup() { if [ "$keep" = yes ]; then echo "parity: kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

# ---------------------------------------------------------------- the tree

tree=$work/tree
n=0
while IFS= read -r -d '' f; do
  name=${f##*/}
  base=${name%.rpm}
  arch=${base##*.}
  letter=$(printf '%s' "${name:0:1}" | tr '[:upper:]' '[:lower:]')
  for dir in "$tree/$arch/Packages/$letter" $( [ $(( n % 5 )) -eq 0 ] && echo "$tree/updates/$arch" ); do
    mkdir -p "$dir"
    ln "$f" "$dir/$name" 2>/dev/null || cp -p "$f" "$dir/$name"
  done
  n=$(( n + 1 ))
done < <(find "$rpms" -name '*.rpm' -type f -print0 | sort -z)
if [ "$n" -eq 0 ]; then
  echo "parity: no *.rpm under $rpms" >&2
  exit 1
fi
echo "parity: $n packages from $rpms, $(find "$tree" -name '*.rpm' | wc -l) files in the tree" >&2

# ---------------------------------------------------------------- runs

# One option set a line: a label, then the options both tools take alike.
option_sets=(
  "defaults|"
  "--excludes noarch|--excludes noarch"
  "--excludes 'updates/*'|--excludes updates/*"
  "--excludes '*-devel-*'|--excludes *-devel-*"
  "--checksum sha512|--checksum sha512"
  "--changelog-limit -1|--changelog-limit -1"
)

# same FILE_A FILE_B: "same", "open same" (only the compression differs) or "differ".
compare() {
  if cmp -s "$1" "$2"; then echo same
  elif cmp -s <(gzip -dc "$1") <(gzip -dc "$2"); then echo "open same"
  else echo differ
  fi
}

status=0
for set in "${option_sets[@]}"; do
  label=${set%%|*}
  read -ra options <<< "${set#*|}"
  rm -rf "$work/createrepo_c" "$work/repo-builder"
  cp -al "$tree" "$work/createrepo_c" 2>/dev/null || cp -a "$tree" "$work/createrepo_c"
  cp -al "$tree" "$work/repo-builder" 2>/dev/null || cp -a "$tree" "$work/repo-builder"
  createrepo_c --quiet --no-database "${options[@]}" "$work/createrepo_c"
  java -jar "$jar" index --quiet "${options[@]}" "$work/repo-builder"
  line="$label:"
  for type in primary filelists other; do
    verdict=$(compare "$work/createrepo_c/repodata/"*"-$type.xml.gz" "$work/repo-builder/repodata/"*"-$type.xml.gz")
    [ "$verdict" = same ] || status=1
    line="$line $type $verdict,"
  done
  packages=$(gzip -dc "$work/repo-builder/repodata/"*-primary.xml.gz | grep -c '<package ' || true)
  echo "${line%,} ($packages packages)"
done
exit $status
