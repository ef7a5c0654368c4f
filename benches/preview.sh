#!/usr/bin/env bash
# Benchmark of the live preview (`candor serve`): generates a site of N pages per language
# (default 1000, i.e. 2,000 pages) on tmpfs, starts the release binary's preview on a free
# loopback port and measures 20 edits of one page's body, 5 edits of a shared template and 5 of
# the page's title (see benches/preview.py for what is measured).
#
# Usage: benches/preview.sh [N] [CANDOR_BINARY]
#   N              pages per language (default 1000)
#   CANDOR_BINARY  the binary to measure (default: target/release/candor, built first)
# Environment: SHAPE=one puts every page in one section (generate.py --one-section, paginated by
# 20) and edits a page of it.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-1000}
binary=${2:-}
if [ -z "$binary" ]; then
  cargo build --release --quiet
  binary=target/release/candor
fi
site=/dev/shm/candor-preview-bench-$$
trap 'rm -rf "$site"' EXIT

shape=()
[ "${SHAPE:-}" = one ] && shape=(--one-section)
python3 benches/site/generate.py "$n" "$site" "${shape[@]}"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 benches/preview.py "$binary" "$site" 20 5 5
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
