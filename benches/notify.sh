#!/usr/bin/env bash
# Throughput and peak memory of `candor notify`: one notice (the example site's planned
# subprocessor change, on the first run) to N confirmed subscribers through a local SMTP sink
# (aiosmtpd on loopback, counting each message's recipient). Runs in a copy of the example site
# on tmpfs, removed on exit; the repository's .candor/ is never touched.
#
# Usage: benches/notify.sh [N=10000]
#   CONCURRENCY=16   candor notify --concurrency
#   RATE=100000      candor notify --rate (mails per second; high, so that the sink and the
#                    store are what is measured)
#   PYTHON=/usr/bin/python3   a python3 with aiosmtpd
#   CANDOR_BIN=target/release/candor   built with `cargo build --release --quiet` when missing
#
# Prints messages/s (sent mails / wall time of the whole run: site build, planning, queueing
# N outbox rows in one transaction, sending) and peak RSS (/usr/bin/time -v). Fails unless the
# sink received exactly N messages, one per subscriber, and the outbox says N sent.
# Smoke test: benches/notify.sh 200
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
N=${1:-10000}
CONCURRENCY=${CONCURRENCY:-16}
RATE=${RATE:-100000}
PYTHON=${PYTHON:-/usr/bin/python3}
bin=${CANDOR_BIN:-target/release/candor}
[ -x "$bin" ] || cargo build --release --quiet
bin=$(realpath "$bin")
"$PYTHON" -c 'import aiosmtpd' || { echo "needs $PYTHON with aiosmtpd (apt-get install python3-aiosmtpd)" >&2; exit 1; }

base=/dev/shm; [ -d "$base" ] || base=${TMPDIR:-/tmp}
work=$(mktemp -d "$base/candor-notify-bench.XXXXXX")
sink_pid=""
cleanup() { [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
site=$work/site
mkdir -p "$site"
for p in site.yaml content locales themes static; do cp -r "$repo/$p" "$site/"; done

# The sink: accepts every message, appends its recipient to a file.
cat > "$work/sink.py" <<'PY'
import asyncio, sys
from aiosmtpd.smtp import SMTP
out = open(sys.argv[1], "a", buffering=1)
class Count:
    async def handle_DATA(self, server, session, envelope):
        out.write(envelope.rcpt_tos[0] + "\n")
        return "250 OK"
async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Count()), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
PY
: > "$work/received"
coproc SINK { exec "$PYTHON" "$work/sink.py" "$work/received"; }
sink_pid=$SINK_PID
read -r port <&"${SINK[0]}"
export CANDOR_SMTP_URL="smtp://127.0.0.1:$port"
unset CANDOR_DATABASE_URL CANDOR_PORTAL_KEYS

# The store and keys (a dry run opens them), then N confirmed subscribers in one transaction.
"$bin" notify --root "$site" --dry-run >/dev/null
"$PYTHON" - "$site/.candor/portal.db" "$N" <<'PY'
import sqlite3, sys, time
db, n = sys.argv[1], int(sys.argv[2])
now = int(time.time())
con = sqlite3.connect(db)
with con:
    con.executemany(
        "INSERT INTO subscribers (id, email, lang, topics, documents, status, consent_at, "
        "consent_text_sha256, created_at, confirmed_at) "
        "VALUES (?, ?, ?, 'subprocessors', '', 'active', ?, ?, ?, ?)",
        (("b%014d" % i, "bench%d@example.net" % i, "de" if i % 3 == 0 else "en",
          now, "0" * 64, now, now) for i in range(n)),
    )
con.close()
PY

/usr/bin/time -v -o "$work/time" "$bin" notify --root "$site" \
  --concurrency "$CONCURRENCY" --rate "$RATE" > "$work/out"
cat "$work/out"
received=$(wc -l < "$work/received")
unique=$(sort -u "$work/received" | wc -l)
wall=$(grep 'Elapsed (wall clock)' "$work/time" | awk '{print $NF}')
secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
rss=$(grep 'Maximum resident set size' "$work/time" | awk '{print $NF}')
echo "subscribers: $N, concurrency: $CONCURRENCY"
echo "received: $received messages, $unique recipients"
awk -v n="$received" -v s="$secs" 'BEGIN { printf "wall time: %.2f s, throughput: %.0f messages/s\n", s, n / s }'
echo "peak RSS: $((rss / 1024)) MiB ($rss KiB)"
echo "candor CPU: $(grep "User time" "$work/time" | awk "{print \$NF}") s user, $(grep "System time" "$work/time" | awk "{print \$NF}") s system"
[ "$received" -eq "$N" ] && [ "$unique" -eq "$N" ] || { echo "FAIL: expected $N messages, one per subscriber" >&2; exit 1; }
grep -q "0 pending, $N sent, 0 failed" "$work/out" || { echo "FAIL: the outbox does not say $N sent" >&2; exit 1; }
