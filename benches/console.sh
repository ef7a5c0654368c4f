#!/usr/bin/env bash
# The admin console's pages against a store of AUDIT_ROWS audit rows and REQUESTS requests
# (default 100,000 and 10,000): median and slowest answer per page (benches/console.py).
#
# Usage: benches/console.sh [AUDIT_ROWS] [REQUESTS] [RUNS]
# Environment: CANDOR_BIN (default target/release/candor, built when missing).
# Target (issue 18): every console page answers in under 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CANDOR_BIN:-target/release/candor}
[ -x "$bin" ] || cargo build --release --quiet
site=$(mktemp -d /dev/shm/candor-console-bench-XXXXXX)
trap 'rm -rf "$site"' EXIT
cp -r site.yaml content locales themes static "$site"/
python3 benches/console.py "$bin" "$site" "${1:-100000}" "${2:-10000}" "${3:-20}"
