#!/usr/bin/env bash
# Candor against Hugo on the same content: generates the synthetic site (benches/site/generate.py,
# N pages per language plus a documents section with 5 public documents) on tmpfs, turns a copy of
# it into a Hugo project (benches/hugo/prepare.py: the same Markdown, translations by file name,
# `@/` links as Hugo `relref`s, minimal templates with a language switcher, `hugo --minify`) and
# builds both, one warm-up and then RUNS timed builds each (alternating between the tools), into a
# fresh output folder on tmpfs.
# Prints per tool the median wall time, pages per second, peak RSS (/usr/bin/time -v), the HTML
# bytes written per page and the ratios Hugo/Candor; then checks that both outputs hold every page.
#
# Two shapes of site, each built by both tools: `sections` (pages in sections of 50, ten sections
# to an area: today's shape) and `one` (every page in one section whose listing is paginated by
# 20, `generate.py --one-section`; Hugo's list template paginates it by the same front matter).
#
# Usage: benches/compare.sh N                 compare at N pages per language (default 1000)
#        benches/compare.sh --scaling [N...]  both tools at N = 1000 5000 20000 (or the Ns given):
#                                             seconds per page at each N, and time growth vs N growth
# Environment:
#   RUNS=5          timed runs per tool (after one warm-up); RUNS=1 for a smoke run
#   CANDOR_BIN=…    the Candor binary (default target/release/candor, built with cargo when missing)
#   SKIP_HUGO=1     measure Candor only (otherwise a missing Hugo is installed with apt-get, and if
#                   that fails Candor is still measured but the script exits 1)
#   DISK=0|1        also measure with site and output on disk ($DISK_DIR, default /var/tmp), on a
#                   second line per tool (default 1 when comparing, 0 with --scaling)
#   SHAPES="sections one"  the shapes to measure (default both; with --scaling `sections`)
#
# Smoke test (a few seconds once Hugo is installed): RUNS=1 benches/compare.sh 20
# Exits non-zero when a build fails, an output has no pages or misses a page.
#
# Duration on 2 shared cores: N=1000 about 1.5 min, N=10000 (DISK=0) about 7 min; --scaling with
# RUNS=1 about 9 min (N=20000 is 40,000 pages; Hugo peaks near 9 GiB there), with RUNS=5 far longer.
# Hugo's side is the lighter one: besides the pages and a sitemap it writes no search index,
# documents.json, security.txt, _headers or 404 pages, which Candor does.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

runs=${RUNS:-5}
skip_hugo=${SKIP_HUGO:-0}
scaling=0
if [ "${1:-}" = "--scaling" ]; then
  scaling=1
  shift
  ns=("$@")
  [ ${#ns[@]} -gt 0 ] || ns=(1000 5000 20000)
  disk=${DISK:-0}
  read -r -a shapes <<<"${SHAPES:-sections}"
else
  ns=("${1:-1000}")
  disk=${DISK:-1}
  read -r -a shapes <<<"${SHAPES:-sections one}"
fi
for shape in "${shapes[@]}"; do
  [[ $shape =~ ^(sections|one)$ ]] || { echo "compare.sh: SHAPES takes sections and one, not '$shape'" >&2; exit 2; }
done
for n in "${ns[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: N must be a positive number, not '$n'" >&2; exit 2; }
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: RUNS must be a positive number" >&2; exit 2; }

work=$(mktemp -d /dev/shm/candor-compare-XXXXXX)
disk_work=
cleanup() { rm -rf "$work" ${disk_work:+"$disk_work"}; }
trap cleanup EXIT

# --- tools -----------------------------------------------------------------------------------
apt_updated=0
apt_install() {
  [ "$apt_updated" = 1 ] || { apt-get update -qq && apt_updated=1; } || return 1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x /usr/bin/time ]; then
  echo "installing /usr/bin/time (Debian package time)…"
  apt_install time
fi

if [ -n "${CANDOR_BIN:-}" ]; then
  candor=$CANDOR_BIN
  [ -x "$candor" ] || { echo "compare.sh: CANDOR_BIN=$candor is not an executable" >&2; exit 1; }
else
  candor=$repo/target/release/candor
  [ -x "$candor" ] || (cd "$repo" && cargo build --release --quiet)
fi

hugo_ok=0
hugo_missing_reason=
if [ "$skip_hugo" != 1 ]; then
  if ! command -v hugo >/dev/null; then
    echo "hugo not found; installing the Debian package hugo…"
    apt_install hugo || true
  fi
  if command -v hugo >/dev/null; then
    hugo_ok=1
  else
    hugo_missing_reason="Hugo is not installed and could not be installed with apt-get"
    echo "compare.sh: $hugo_missing_reason; measuring Candor only (set SKIP_HUGO=1 to accept that)" >&2
  fi
fi

echo "candor: $("$candor" --version 2>&1 | head -1) ($candor)"
[ "$hugo_ok" = 1 ] && echo "hugo:   $(hugo version | head -1)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs: 1 warm-up + $runs timed per tool and place"

# --- measuring ---------------------------------------------------------------------------------
# run_once NAME OUT CMD…: one build, CMD, into a fresh OUT (removed before the clock starts);
# appends "NAME NANOSECONDS MAX_RSS_KIB" to $work/samples. Exits when the build fails.
run_once() {
  local name=$1 out=$2 t0 t1 kib
  shift 2
  rm -rf "$out"
  t0=$(date +%s%N)
  if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/build.log" 2>&1; then
    echo "compare.sh: the $name build failed:" >&2
    cat "$work/build.log" >&2
    grep -E 'Command terminated|Exit status' "$work/time.txt" >&2 || true
    exit 1
  fi
  t1=$(date +%s%N)
  kib=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$work/time.txt")
  echo "$name $((t1 - t0)) ${kib:-0}" >>"$work/samples"
}

# stats NAME: "MEDIAN_SECONDS PEAK_KIB" of NAME's samples (the median wall time; the largest
# maximum RSS of any run).
stats() {
  awk -v name="$1" '$1 == name { t[++n] = $2; if ($3 > peak) peak = $3 } END {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && t[j - 1] > t[j]; j--) { x = t[j]; t[j] = t[j - 1]; t[j - 1] = x }
    m = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
    printf "%.3f %d\n", m / 1e9, peak }' "$work/samples"
}

# check_output NAME OUT SITE: fails unless OUT has HTML pages and an English page for every
# English source file (content/a/b.md and content/a/b/_index.md → en/a/b/index.html); prints
# the HTML files written and the German pages found.
check_output() {
  local name=$1 out=$2 site=$3 html=0 de=0 missing=0 path
  [ -d "$out" ] && html=$(find "$out" -name '*.html' | wc -l)
  [ -d "$out/de" ] && de=$(find "$out/de" -name index.html | wc -l)
  if [ "$html" -eq 0 ]; then
    echo "compare.sh: $name wrote no HTML pages into $out" >&2
    exit 1
  fi
  while read -r path; do
    if [ ! -f "$out/en/${path:+$path/}index.html" ]; then
      [ "$missing" -lt 5 ] && echo "compare.sh: $name did not write en/${path:+$path/}index.html" >&2
      missing=$((missing + 1))
    fi
  done < <(cd "$site/content" && find . -name '*.md' ! -name '*.*.md' |
    sed -E 's#^\./##; s#(^|/)_?index\.md$##; s#\.md$##')
  if [ "$missing" -gt 0 ]; then
    echo "compare.sh: $name is missing $missing English pages" >&2
    exit 1
  fi
  printf '  %-7s %6d HTML files, every English page present, %d German pages\n' "$name" "$html" "$de"
  if [ "$de" -lt "$de_expected" ]; then
    echo "compare.sh: $name wrote $de German pages, expected at least $de_expected" >&2
    exit 1
  fi
}

# bytes_per_page OUT: the bytes of all HTML files under OUT divided by their number.
bytes_per_page() {
  find "$1" -name '*.html' -printf '%s\n' | awk '{ s += $1; n++ } END { printf "%d\n", n ? s / n : 0 }'
}

# run_place N SHAPE PLACE DIR: builds the site in DIR/site (and DIR/hugo) with both tools into
# DIR; appends one result line "N SHAPE PLACE TOOL PAGES MEDIAN_S PEAK_KIB BYTES_PER_PAGE" per
# tool to $work/results.
run_place() {
  local n=$1 shape=$2 place=$3 dir=$4 pages
  pages=$(find "$dir/site/content" -name '*.md' | wc -l)
  de_expected=$(find "$dir/site/content" -name '*.de.md' | wc -l)
  local candor_cmd=("$candor" build --root "$dir/site" --output "$dir/out-candor" --quiet)
  local hugo_cmd=(hugo --minify --quiet --source "$dir/hugo" --destination "$dir/out-hugo")
  # Run 0 is the warm-up. The tools alternate, so that other load on the machine falls on both.
  local i
  for ((i = 0; i <= runs; i++)); do
    [ "$i" -eq 1 ] && : >"$work/samples"
    run_once candor "$dir/out-candor" "${candor_cmd[@]}"
    if [ "$hugo_ok" = 1 ]; then run_once hugo "$dir/out-hugo" "${hugo_cmd[@]}"; fi
  done
  echo "$n $shape $place candor $pages $(stats candor) $(bytes_per_page "$dir/out-candor")" >>"$work/results"
  if [ "$hugo_ok" = 1 ]; then
    echo "$n $shape $place hugo $pages $(stats hugo) $(bytes_per_page "$dir/out-hugo")" >>"$work/results"
  fi
  echo "output check ($shape, $place, N=$n, $pages source pages, $de_expected of them German; load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
  check_output candor "$dir/out-candor" "$dir/site"
  [ "$hugo_ok" = 1 ] && check_output hugo "$dir/out-hugo" "$dir/site"
  return 0
}

: >"$work/results"
for n in "${ns[@]}"; do
  for shape in "${shapes[@]}"; do
    dir=$work/$n-$shape
    flag=()
    [ "$shape" = one ] && flag=(--one-section)
    echo "generating N=$n, shape $shape: $(python3 "$repo/benches/site/generate.py" "$n" "$dir/site" "${flag[@]}")"
    python3 "$repo/benches/hugo/prepare.py" "$dir/site" "$dir/hugo"
    run_place "$n" "$shape" tmpfs "$dir"
    if [ "$disk" = 1 ]; then
      disk_work=$(mktemp -d "${DISK_DIR:-/var/tmp}/candor-compare-XXXXXX")
      cp -r "$dir/site" "$dir/hugo" "$disk_work/"
      run_place "$n" "$shape" disk "$disk_work"
      rm -rf "$disk_work"
      disk_work=
    fi
    rm -rf "$dir"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# --- report --------------------------------------------------------------------------------------
# One table row per N, place and tool; then Hugo/Candor ratios per N and place; with --scaling,
# seconds per page and growth against the first N.
awk -v scaling="$scaling" '
  { n[NR] = $1; shape[NR] = $2; place[NR] = $3; tool[NR] = $4; pages[NR] = $5; med[NR] = $6
    kib[NR] = $7; bpp[NR] = $8
    key = $1 " " $2 " " $3 " " $4; t[key] = $6; m[key] = $7; b[key] = $8 }
  END {
    printf "%-7s %-8s %-6s %7s %9s %9s %9s %9s %11s\n", "tool", "shape", "place", "pages", "median_s",
      "pages/s", "ms/page", "peak_MiB", "bytes/page"
    for (i = 1; i <= NR; i++)
      printf "%-7s %-8s %-6s %7d %9.3f %9.0f %9.3f %9.0f %11d\n", tool[i], shape[i], place[i], pages[i],
        med[i], pages[i] / med[i], med[i] * 1e3 / pages[i], kib[i] / 1024, bpp[i]
    for (i = 1; i <= NR; i++) {
      if (tool[i] != "hugo") continue
      c = n[i] " " shape[i] " " place[i] " candor"
      printf "ratio hugo/candor (N=%d, %s, %s): %.1fx time, %.1fx memory\n", n[i], shape[i], place[i],
        med[i] / t[c], kib[i] / m[c]
    }
    for (i = 1; i <= NR; i++) {
      if (shape[i] != "one") continue
      o = n[i] " sections " place[i] " " tool[i]
      if (o in b && b[o] > 0)
        printf "bytes per page, one section / sections (N=%d, %s, %s): %.2fx\n", n[i], place[i], tool[i],
          bpp[i] / b[o]
    }
    if (scaling) {
      print ""
      print "scaling (tmpfs): time growth divided by page growth against the first N (1.00 = linear)"
      printf "%-7s %-8s %7s %7s %9s %9s %12s %10s\n", "tool", "shape", "N", "pages", "median_s", "ms/page",
        "pages growth", "time/pages"
      for (i = 1; i <= NR; i++) {
        if (place[i] != "tmpfs") continue
        k = tool[i] " " shape[i]
        if (!(k in base_t)) { base_t[k] = med[i]; base_p[k] = pages[i] }
        pg = pages[i] / base_p[k]
        printf "%-7s %-8s %7d %7d %9.3f %9.3f %11.1fx %10.2f\n", tool[i], shape[i], n[i], pages[i], med[i],
          med[i] * 1e3 / pages[i], pg, (med[i] / base_t[k]) / pg
      }
    }
  }' "$work/results"

if [ -n "$hugo_missing_reason" ]; then
  echo "compare.sh: $hugo_missing_reason: only Candor was measured" >&2
  exit 1
fi
