#!/usr/bin/env bash
# What security advisories and questionnaire answers cost a build: the example site as it is,
# then with N generated advisories (each with its German translation: CSAF documents built,
# checked against the CSAF 2.0 JSON schema and the offline mandatory tests, hashed, listed in the
# provider's files, pages and feeds in both languages) and then with M generated answers per
# language (pages, filter pages, search entries, CSV, XLSX and JSON exports), each built RUNS
# times into tmpfs (after one warm-up). Prints the median wall time of each and the extra time
# over the example site; benches/site/add_catalogue.py makes the content.
#
# Usage: benches/catalogue.sh [N_ADVISORIES] [M_ANSWERS]     (default 1000 and 5000)
# Environment: RUNS=5, CANDOR_BIN (default target/release/candor, built when missing).
# Targets (issues 21 and 22): 1,000 advisories build and validate in at most 1 s; 5,000 answers
# per language add at most 0.5 s, exports included (2 cores).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
advisories=${1:-1000}
answers=${2:-5000}
runs=${RUNS:-5}
bin=${CANDOR_BIN:-target/release/candor}
[ -x "$bin" ] || cargo build --release --quiet
work=$(mktemp -d /dev/shm/candor-catalogue-XXXXXX)
trap 'rm -rf "$work"' EXIT

copy_site() {
  mkdir -p "$1"
  cp -r site.yaml content locales themes static "$1"/
}
copy_site "$work/base"
copy_site "$work/advisories"
python3 benches/site/add_catalogue.py "$work/advisories" --advisories "$advisories"
copy_site "$work/answers"
python3 benches/site/add_catalogue.py "$work/answers" --answers "$answers"

# median SITE: builds SITE once to warm up, then RUNS times; prints the median seconds.
median() {
  local site=$1 out=$work/out times=()
  "$bin" build --quiet --root "$site" --output "$out" >/dev/null
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    local start end
    start=$(date +%s.%N)
    "$bin" build --quiet --root "$site" --output "$out" >/dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); median of $runs builds"
base=$(median "$work/base")
adv=$(median "$work/advisories")
ans=$(median "$work/answers")
"$bin" build --quiet --root "$work/advisories" --output "$work/out-adv" >/dev/null
documents=$(find "$work/out-adv/.well-known/csaf/white" -name '*.json' | wc -l)
printf '%-44s %8s s\n' "example site" "$base"
printf '%-44s %8s s  (+%.3f s; %d CSAF documents published)\n' \
  "+ $advisories advisories (EN + DE)" "$adv" "$(echo "$adv - $base" | bc -l)" "$documents"
printf '%-44s %8s s  (+%.3f s, exports included)\n' \
  "+ $answers answers per language (EN + DE)" "$ans" "$(echo "$ans - $base" | bc -l)"
