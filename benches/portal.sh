#!/usr/bin/env bash
# Load test of `candor serve --production` (the static site and the portal's gated downloads),
# with nginx serving the same built site as the yardstick. Everything runs on loopback, in a
# copy of the example site on tmpfs (the repository's .candor/ is never touched), and is removed
# on exit.
#
#   1. Static page: wrk --latency against one built page (STATIC_PAGE) on Candor and on nginx;
#      requests/s, p50, p99 and the ratio candor/nginx.
#   2. Gated downloads: a customer's way to a download token (the request form with its CSRF
#      cookie and token, the confirmation mail in .candor/outbox/, `candor requests approve`,
#      the grant mail, the landing page's download form), then wrk with CONNECTIONS connections
#      for DURATION against /portal/download/<token>, once for the gated PDF (watermarked at
#      every download) and once for the same bytes as a .zip (served as they are: there is no
#      switch that turns watermarking off, see below). Each must finish with zero errors, and
#      the audit log must hold exactly one `download` row per completed request (and the grant's
#      counter must agree), with an intact hash chain (`candor audit verify`). On SQLite and on
#      a throwaway PostgreSQL cluster (scripts/lib/postgres.bash).
#
# Usage: benches/portal.sh
#   DURATION=30s            the download runs (wrk time syntax: 30s, 2m)
#   STATIC_DURATION=10s     the static page runs (default 10s, or DURATION when that is given)
#   CONNECTIONS=200         connections of the download runs
#   STATIC_CONNECTIONS=64   connections of the static runs (default 64, or CONNECTIONS when given)
#   THREADS=2               wrk threads (the machine's cores are shared by wrk and the server)
#   DB=both                 sqlite, postgres or both
#   STATIC_PAGE=/en/security/
#   PDF_KB=200              size of the gated PDF put in place of the example's (text pages)
#   DRAIN_MAX=35s           how long downloads started in the window may take to finish
#   CANDOR_BIN=target/release/candor   built with `cargo build --release --quiet` when missing
#
# Smoke test (seconds, exits non-zero on any error or audit mismatch):
#   DURATION=2s CONNECTIONS=8 benches/portal.sh
#
# How the download runs count: wrk's Lua `delay()` lets no connection start a download after
# the window (DURATION); every download started inside it completes (the script waits until
# each connection has come back, at most DRAIN_MAX), so wrk's completed requests and the audit
# rows must be equal. requests/s = downloads completed inside the window / window.
#
# What the bench changes in its copy of the site, and why:
#   - content/documents/pentest-summary/: the gated PDF is replaced by a valid PDF of ~PDF_KB KB
#     (the example's is 9 KB), and the same bytes are added as a German `.zip` file of the same
#     version: the portal watermarks every application/pdf download and has no switch to turn
#     that off (no `watermark:` in the document block or in `portal:`), so "without
#     watermarking" is the identical file under a media type that is not stamped.
#   - site.yaml `portal:`: download_limit 1000000000 (the default is 10 per grant) and
#     token_minutes 60 (default 5, so a token outlives the runs).
#   - CANDOR_PORTAL_LIMITS=1000000,1000000,1000000000,1000000 (requests per hour, link views
#     per 10 minutes, downloads per minute, admin calls per minute; the default of 30 downloads
#     a minute per IP would answer 429 within the first second). The counters are still hit in
#     the store on every download, as in production.
#   - nginx: keepalive_requests 1000000 (its default of 1000 would close wrk's connections,
#     Candor keeps them open), access_log off, worker_processes auto, sendfile on.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

given_duration=${DURATION:-}
given_connections=${CONNECTIONS:-}
DURATION=${DURATION:-30s}
STATIC_DURATION=${STATIC_DURATION:-${given_duration:-10s}}
CONNECTIONS=${CONNECTIONS:-200}
STATIC_CONNECTIONS=${STATIC_CONNECTIONS:-${given_connections:-64}}
THREADS=${THREADS:-2}
DB=${DB:-both}
STATIC_PAGE=${STATIC_PAGE:-/en/security/}
PDF_KB=${PDF_KB:-200}
DRAIN_MAX=${DRAIN_MAX:-35s}
CANDOR_BIN=${CANDOR_BIN:-target/release/candor}

case $DB in
  sqlite) dbs=(sqlite) ;;
  postgres) dbs=(postgres) ;;
  both) dbs=(sqlite postgres) ;;
  *) echo "error: DB must be sqlite, postgres or both, not '$DB'" >&2; exit 2 ;;
esac

# Seconds of a wrk time argument (30s, 2m, 1h, 45).
seconds() {
  local v=$1
  case $v in
    *ms) echo "error: use whole seconds, not $v" >&2; return 1 ;;
    *s) echo "${v%s}" ;;
    *m) echo $((${v%m} * 60)) ;;
    *h) echo $((${v%h} * 3600)) ;;
    *) echo "$v" ;;
  esac
}
window_s=$(seconds "$DURATION")
drain_s=$(seconds "$DRAIN_MAX")
seconds "$STATIC_DURATION" >/dev/null
if [ $((CONNECTIONS % THREADS)) -ne 0 ] || [ "$CONNECTIONS" -lt "$THREADS" ]; then
  echo "error: CONNECTIONS ($CONNECTIONS) must be a multiple of THREADS ($THREADS)" >&2
  exit 2
fi

# ---- tools ------------------------------------------------------------------------------------

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ "$DB" != sqlite ]; then
  # shellcheck source=scripts/lib/postgres.bash
  source "$repo/scripts/lib/postgres.bash"
  [ -n "$(postgres_bin_dir)" ] && command -v psql >/dev/null || missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The package's postinst may start the system nginx; this bench never uses it.
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 2; }
done
if [ ! -x "$CANDOR_BIN" ]; then
  if [ "$CANDOR_BIN" = target/release/candor ]; then
    cargo build --release --quiet
  else
    echo "error: CANDOR_BIN=$CANDOR_BIN is not an executable" >&2
    exit 2
  fi
fi
candor=$(cd "$(dirname "$CANDOR_BIN")" && pwd)/$(basename "$CANDOR_BIN")

# ---- temp dir, cleanup ------------------------------------------------------------------------

work=$(mktemp -d /dev/shm/candor-portal-bench.XXXXXX)
site=$work/site
candor_pid=""
nginx_pid=""
wrk_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in $wrk_pid $candor_pid $nginx_pid; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $wrk_pid $candor_pid $nginx_pid; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if declare -F stop_test_postgres >/dev/null; then stop_test_postgres; fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail=0
problem() {
  echo "PROBLEM: $*" >&2
  fail=1
}

# ---- the site ---------------------------------------------------------------------------------

mkdir -p "$site"
# nginx's workers run as an unprivileged user: they may pass through to public/, no more.
chmod 711 "$work" "$site"
cp -r site.yaml content locales themes static "$site"/
doc_dir=$site/content/documents/pentest-summary
pdf=$doc_dir/pentest-summary-2026-en.pdf
zip=$doc_dir/pentest-summary-2026-de.zip

# A valid PDF 1.4 of text pages (standard Helvetica, uncompressed streams, exact xref), grown
# page by page until it is PDF_KB kilobytes.
python3 - "$pdf" "$PDF_KB" <<'PY'
import sys
out, target = sys.argv[1], int(sys.argv[2]) * 1000
words = ("scope method finding severity remediation retest control evidence tenant isolation "
         "session token header injection upload parser encryption key rotation backup access "
         "review logging alerting network segment firewall rule endpoint api rate limit").split()
def page_text(n):
    ops = ["BT /F1 16 Tf 56 790 Td (Penetration Test Summary 2026 - page %d) Tj ET" % n,
           "BT /F1 8 Tf 56 770 Td (SAMPLE of a fictional company, generated by benches/portal.sh) Tj ET",
           "BT /F1 9 Tf 11 TL 56 745 Td"]
    for i in range(62):
        line = " ".join(words[(n * 7 + i * 3 + k) % len(words)] for k in range(15))
        ops.append("(%d.%d %s.) Tj T*" % (n, i + 1, line.capitalize()))
    ops.append("ET")
    return "\n".join(ops).encode("ascii")
def build(pages):
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            4: b"<< /Title (Penetration Test Summary 2026 - load test sample) /Producer (benches/portal.sh) >>"}
    kids = []
    for n in range(1, pages + 1):
        page_id, content_id = 3 + 2 * n, 4 + 2 * n
        body = page_text(n)
        objs[content_id] = b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"
        objs[page_id] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                         b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id)
        kids.append(b"%d 0 R" % page_id)
    objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    data = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for i in sorted(objs):
        offsets[i] = len(data)
        data += b"%d 0 obj\n" % i + objs[i] + b"\nendobj\n"
    size = max(objs) + 1
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for i in range(1, size):
        data += b"%010d 00000 n \n" % offsets[i]
    data += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(data)
pages = 1
while len(build(pages)) < target:
    pages += 1
open(out, "wb").write(build(pages))
print("gated PDF: %d bytes, %d pages" % (len(build(pages)), pages))
PY
cp "$pdf" "$zip"
python3 - "$doc_dir/index.md" "$site/site.yaml" <<'PY'
import re, sys
index, config = sys.argv[1], sys.argv[2]
text = open(index).read()
old = "files: {en: pentest-summary-2026-en.pdf}"
assert old in text, "the pentest summary's files line changed; update benches/portal.sh"
open(index, "w").write(text.replace(old, "files: {en: pentest-summary-2026-en.pdf, de: pentest-summary-2026-de.zip}", 1))
text = open(config).read()
assert re.search(r"^  download_limit: \d+$", text, re.M), "no portal.download_limit in site.yaml"
text = re.sub(r"^  download_limit: \d+$", "  download_limit: 1000000000\n  token_minutes: 60", text, count=1, flags=re.M)
open(config, "w").write(text)
PY

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f2), nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///'), candor $candor"
"$candor" build --root "$site" --output "$site/public" >"$work/build.log" 2>&1 || {
  cat "$work/build.log" >&2
  exit 1
}
tail -n 1 "$work/build.log"
if [ ! -f "$site/public${STATIC_PAGE%/}/index.html" ] && [ ! -f "$site/public$STATIC_PAGE" ]; then
  echo "error: STATIC_PAGE $STATIC_PAGE is not in the built site" >&2
  exit 1
fi
"$candor" keygen --certificate --root "$site" >"$work/keygen.log" 2>&1 || {
  cat "$work/keygen.log" >&2
  exit 1
}
export CANDOR_AGREEMENT_KEY=$site/.candor/keys/agreement-key.pem
export CANDOR_AGREEMENT_CERTIFICATE=$site/.candor/keys/agreement-cert.pem
export CANDOR_PORTAL_LIMITS=1000000,1000000,1000000000,1000000
unset CANDOR_SMTP_URL CANDOR_PORTAL_KEYS CANDOR_DATABASE_URL CANDOR_FILES_DIR

# ---- wrk scripts ------------------------------------------------------------------------------

# done(): one machine-readable line. setup() keeps the threads so done() can read their counts.
cat >"$work/report.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local late = 0
  for _, t in ipairs(threads) do late = late + (t:get("late") or 0) end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d late=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p99_us=%d\n",
    summary.requests, late, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
LUA
# The download runs: no connection starts a request after the window; each thread notes in the
# marker file when all of its connections have come back. Arguments: window seconds, the
# thread's connections, the marker file.
cat "$work/report.lua" - >"$work/drain.lua" <<'LUA'
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } candor_bench_timespec;
int clock_gettime(int clock, candor_bench_timespec *ts);
]]
local ts = ffi.new("candor_bench_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end
function init(args)
  deadline = now() + tonumber(args[1])
  connections = tonumber(args[2])
  marker = args[3]
  late = 0
end
function delay()
  if now() < deadline then return 0 end
  late = late + 1
  if late == connections then
    local f = io.open(marker, "a")
    f:write("drained\n")
    f:close()
  end
  return 3600 * 1000
end
LUA

# Runs wrk; sets r_rps r_p50 r_p99 r_errors r_requests r_detail. Arguments: name, mode
# (static|drain), connections, URL.
run_wrk() {
  local name=$1 mode=$2 conns=$3 url=$4 out=$work/wrk-$1.txt
  local d script args=()
  if [ "$mode" = static ]; then
    d=$STATIC_DURATION
    script=$work/report.lua
  else
    d=$((window_s + drain_s))s
    script=$work/drain.lua
    rm -f "$work/marker"
    args=(-- "$window_s" $((conns / THREADS)) "$work/marker")
  fi
  wrk -t"$THREADS" -c"$conns" -d"$d" --timeout 31s --latency -s "$script" "$url" "${args[@]}" \
    >"$out" 2>&1 &
  wrk_pid=$!
  if [ "$mode" = drain ]; then
    # Stop wrk once every connection is back (it would sleep out the whole -d otherwise).
    while kill -0 "$wrk_pid" 2>/dev/null; do
      if [ -f "$work/marker" ] && [ "$(wc -l <"$work/marker")" -ge "$THREADS" ]; then
        kill -INT "$wrk_pid" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
  fi
  wait "$wrk_pid" || true
  wrk_pid=""
  local line
  line=$(grep '^BENCH ' "$out" || true)
  if [ -z "$line" ]; then
    cat "$out" >&2
    problem "$name: wrk printed no summary"
    r_rps=0 r_p50=- r_p99=- r_errors=1 r_requests=0 r_detail="no summary"
    return
  fi
  local requests late duration_us connect read write status timeout p50_us p99_us kv
  for kv in ${line#BENCH }; do
    local "${kv%%=*}=${kv#*=}"
  done
  r_requests=$requests
  r_errors=$((connect + read + write + status + timeout))
  r_detail="connect $connect, read $read, write $write, timeout $timeout, HTTP>=400 $status"
  if [ "$mode" = static ]; then
    r_rps=$(awk -v n="$requests" -v us="$duration_us" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
  else
    r_rps=$(awk -v n="$requests" -v l="$late" -v s="$window_s" 'BEGIN { printf "%.1f", (n - l) / s }')
    local drained=0
    [ -f "$work/marker" ] && drained=$(wc -l <"$work/marker")
    if [ "$drained" -lt "$THREADS" ]; then
      r_errors=$((r_errors + 1))
      r_detail="$r_detail; downloads still in flight after DRAIN_MAX"
    fi
  fi
  r_p50=$(awk -v us="$p50_us" 'BEGIN { printf "%.2f ms", us / 1000 }')
  r_p99=$(awk -v us="$p99_us" 'BEGIN { printf "%.2f ms", us / 1000 }')
  if [ "$r_errors" -ne 0 ]; then
    problem "$name: $r_errors errors ($r_detail)"
    sed -n '/Latency Distribution/,$p' "$out" >&2
  fi
}

rows=()
add_row() { rows+=("$1|$2|$3|$4|$5|$6"); }

# ---- servers ----------------------------------------------------------------------------------

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_nginx() {
  local port
  port=$(free_port)
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$port;
    root $site/public;
    index index.html;
  }
}
CONF
  "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" \
    >"$work/nginx/stdout.log" 2>&1 &
  nginx_pid=$!
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! curl -fsS -o /dev/null "http://127.0.0.1:$port/"; then
    cat "$work/nginx/error.log" "$work/nginx/stdout.log" >&2
    echo "error: nginx did not start" >&2
    exit 1
  fi
  nginx_addr=127.0.0.1:$port
}

# Starts `candor serve --production` on a free port (it announces its address); sets
# candor_addr.
start_candor() {
  local log=$work/candor-$1.log
  : >"$log"
  "$candor" serve --production --root "$site" --addr 127.0.0.1:0 >"$log" 2>&1 &
  candor_pid=$!
  candor_log=$log
  candor_addr=""
  for _ in $(seq 600); do
    candor_addr=$(sed -n 's|^Portal on http://\([^/]*\)/.*|\1|p' "$log" | head -n 1)
    [ -n "$candor_addr" ] && break
    kill -0 "$candor_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$candor_addr" ]; then
    cat "$log" >&2
    echo "error: candor serve did not start" >&2
    exit 1
  fi
  grep '^Portal on' "$log"
}

stop_candor() {
  kill -TERM "$candor_pid" 2>/dev/null || true
  for _ in $(seq 400); do kill -0 "$candor_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$candor_pid" 2>/dev/null || true
  wait "$candor_pid" 2>/dev/null || true
  candor_pid=""
}

# ---- the customer's way to a download token ---------------------------------------------------

# The path of the newest portal link of kind $2 (confirm, grant) in a mail to $1, waiting up to
# 20 s for it.
mail_link() {
  python3 - "$site/.candor/outbox" "$1" "$2" <<'PY'
import email, email.policy, pathlib, re, sys, time
outbox, to, kind = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
pattern = re.compile(r"https?://[^/\s]+(/portal/[a-z]+/%s/\S+)" % kind)
deadline = time.time() + 20
while time.time() < deadline:
    for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
        mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if to not in str(mail["To"]):
            continue
        body = mail.get_body(preferencelist=("plain",))
        found = pattern.search(body.get_content() if body else "")
        if found:
            print(found.group(1))
            sys.exit(0)
    time.sleep(0.1)
sys.exit("no %s link in a mail to %s" % (kind, to))
PY
}

# The value of hidden input $2 in HTML file $1 (the first, or the one equal to $3).
hidden() {
  python3 - "$@" <<'PY'
import html, re, sys
page, name = open(sys.argv[1]).read(), sys.argv[2]
values = [html.unescape(v) for v in re.findall(r'name="%s" value="([^"]*)"' % re.escape(name), page)]
if len(sys.argv) > 3:
    values = [v for v in values if v == sys.argv[3]]
if not values:
    sys.exit("no hidden %s in %s" % (name, sys.argv[1]))
print(values[0])
PY
}

# Walks the request flow for $1 (an e-mail address not auto-approved); sets token_pdf, token_zip
# (paths /portal/download/...) and grant_id.
get_tokens() {
  local email=$1 base=http://$candor_addr jar=$work/cookies-$1 page=$work/page.html
  local c=(curl -fsS --max-time 30 -A "candor-bench/1.0" -b "$jar" -c "$jar")
  rm -f "$jar"
  "${c[@]}" -o "$page" "$base/portal/en/request/pentest-summary"
  local csrf
  csrf=$(hidden "$page" csrf)
  "${c[@]}" -o "$page" --data-urlencode "csrf=$csrf" --data-urlencode "name=Bench Customer" \
    --data-urlencode "email=$email" --data-urlencode "company=Load Test Ltd" \
    --data-urlencode "reason=Load test of the portal" "$base/portal/en/request/pentest-summary"
  local confirm
  confirm=$(mail_link "$email" confirm)
  "${c[@]}" -o "$page" "$base$confirm"
  csrf=$(hidden "$page" csrf)
  "${c[@]}" -o "$page" --data-urlencode "csrf=$csrf" "$base$confirm"
  local id
  id=$("$candor" requests list --json --status pending --root "$site" |
    python3 -c 'import json, sys; print(next(r["id"] for r in json.load(sys.stdin) if r["email"] == sys.argv[1]))' "$email")
  "$candor" requests approve "$id" --root "$site"
  local grant
  grant=$(mail_link "$email" grant)
  "${c[@]}" -o "$page" "$base$grant"
  csrf=$(hidden "$page" csrf)
  local file
  for file in 2026/en 2026/de; do
    hidden "$page" file "$file" >/dev/null
    local location
    location=$("${c[@]}" -o /dev/null -w '%{redirect_url}' --data-urlencode "csrf=$csrf" \
      --data-urlencode "file=$file" "$base$grant")
    case $location in
      http://*/portal/download/v1.*) location=/${location#http://*/} ;;
      *) echo "error: the download form did not redirect to a token: '$location'" >&2; exit 1 ;;
    esac
    if [ "$file" = 2026/en ]; then token_pdf=$location; else token_zip=$location; fi
  done
}

# Audit rows: "<downloads of version $1 by grant $2> <failed rows> <all rows>".
audit_counts() {
  "$candor" audit export --json --root "$site" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
version, grant = sys.argv[1], sys.argv[2]
print(sum(1 for r in rows if r["event"] == "download" and r.get("version") == version and r.get("grant_id") == grant),
      sum(1 for r in rows if r["event"] == "failed"), len(rows))' "$1" "$2"
}

# The grant's download counter, read from the store itself.
grant_downloads() {
  if [ -n "${CANDOR_DATABASE_URL:-}" ]; then
    psql "$CANDOR_DATABASE_URL" -Atqc "SELECT downloads FROM grants WHERE id = '$1'"
  else
    python3 -c '
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(db.execute("SELECT downloads FROM grants WHERE id = ?", (sys.argv[2],)).fetchone()[0])' \
      "$site/.candor/portal.db" "$1"
  fi
}

grant_of() {
  "$candor" audit export --json --root "$site" | python3 -c '
import json, sys
rows = [r for r in json.load(sys.stdin) if r["event"] == "approved" and r.get("email") == sys.argv[1]]
print(rows[-1]["grant_id"])' "$1"
}

# The server's log lines of the download route since line $1, counted by status.
log_statuses() {
  tail -n +"$1" "$candor_log" | awk '$2 == "/portal/download/{token}" { n[$3]++ } END { for (s in n) printf "%s x%d ", s, n[s] }'
}

# ---- runs -------------------------------------------------------------------------------------

start_nginx
static_done=0
for db in "${dbs[@]}"; do
  if [ "$db" = postgres ]; then
    start_test_postgres
    # start_test_postgres sets its own traps; ours stop it too (cleanup calls stop_test_postgres).
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    export CANDOR_DATABASE_URL=$CANDOR_TEST_POSTGRES_URL
    echo "PostgreSQL $PG_MAJOR on 127.0.0.1:$PG_PORT (fsync off, throwaway)"
  else
    unset CANDOR_DATABASE_URL
  fi
  start_candor "$db"

  if [ "$static_done" = 0 ]; then
    static_done=1
    cb=$(curl -fsS "http://$candor_addr$STATIC_PAGE" | wc -c)
    nb=$(curl -fsS "http://$nginx_addr$STATIC_PAGE" | wc -c)
    echo "static page $STATIC_PAGE: $cb bytes from Candor, $nb bytes from nginx"
    echo "wrk -t$THREADS -c$STATIC_CONNECTIONS -d$STATIC_DURATION --latency http://…$STATIC_PAGE (Candor, then nginx)"
    run_wrk static-candor static "$STATIC_CONNECTIONS" "http://$candor_addr$STATIC_PAGE"
    add_row "static $STATIC_PAGE, Candor" "$r_rps" "$r_p50" "$r_p99" "$r_errors" "-"
    candor_rps=$r_rps
    run_wrk static-nginx static "$STATIC_CONNECTIONS" "http://$nginx_addr$STATIC_PAGE"
    add_row "static $STATIC_PAGE, nginx" "$r_rps" "$r_p50" "$r_p99" "$r_errors" "-"
    nginx_rps=$r_rps
    ratio=$(awk -v a="$candor_rps" -v b="$nginx_rps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  fi

  email=bench-$db@loadtest.example
  get_tokens "$email"
  grant_id=$(grant_of "$email")

  # One download of each by hand: the PDF comes back stamped (valid, different bytes), the zip
  # byte for byte.
  curl -fsS --max-time 30 -o "$work/copy.pdf" "http://$candor_addr$token_pdf"
  curl -fsS --max-time 30 -o "$work/copy.zip" "http://$candor_addr$token_zip"
  head -c 5 "$work/copy.pdf" | grep -q '%PDF-' || problem "$db: the watermarked download is not a PDF"
  cmp -s "$work/copy.pdf" "$pdf" && problem "$db: the PDF download is not watermarked"
  grep -aq "$email" "$work/copy.pdf" || echo "note: the recipient's address is not in the PDF's bytes as plain text (compressed stamp?)"
  cmp -s "$work/copy.zip" "$zip" || problem "$db: the zip download differs from the file"
  echo "$db: one download each by hand: PDF $(wc -c <"$work/copy.pdf") bytes (stamped; original $(wc -c <"$pdf")), zip $(wc -c <"$work/copy.zip") bytes"

  for kind in pdf zip; do
    if [ "$kind" = pdf ]; then token=$token_pdf version=2026/en label="gated PDF, watermarked"
    else token=$token_zip version=2026/de label="same bytes as .zip, no watermark"; fi
    counts=$(audit_counts "$version" "$grant_id")
    read -r before failed_before _ <<<"$counts"
    counter_before=$(grant_downloads "$grant_id")
    log_from=$(($(wc -l <"$candor_log") + 1))
    echo "$db, $label: wrk -t$THREADS -c$CONNECTIONS, window $DURATION (+ drain) --latency http://…/portal/download/<token>"
    run_wrk "$db-$kind" drain "$CONNECTIONS" "http://$candor_addr$token"
    counts=$(audit_counts "$version" "$grant_id")
    read -r after failed_after _ <<<"$counts"
    counter_after=$(grant_downloads "$grant_id")
    rows_new=$((after - before))
    counted=$((counter_after - counter_before))
    statuses=$(log_statuses "$log_from")
    echo "  wrk: $r_requests completed ($r_detail); audit: +$rows_new download rows, +$((failed_after - failed_before)) failed rows; grant counter +$counted; server log: $statuses"
    if [ "$rows_new" -ne "$r_requests" ]; then
      problem "$db $kind: $r_requests downloads completed, but $rows_new audit rows"
    fi
    if [ "$counted" -ne "$r_requests" ]; then
      problem "$db $kind: $r_requests downloads completed, but the grant counted $counted"
    fi
    if [ "$failed_after" -ne "$failed_before" ]; then
      problem "$db $kind: $((failed_after - failed_before)) failed attempts audited"
    fi
    if [ "$r_requests" -eq 0 ]; then
      problem "$db $kind: no download completed"
    fi
    errors=$(tail -n +"$log_from" "$candor_log" | grep -v ' 200 [0-9.]* ms$' || true)
    if [ -n "$errors" ]; then
      problem "$db $kind: the server logged:"
      printf '%s\n' "$errors" | sed -E 's/ [0-9.]+ ms$//' | sort | uniq -c | sort -rn | head -n 20 >&2
    fi
    add_row "download, $label, $db" "$r_rps" "$r_p50" "$r_p99" "$r_errors" "$r_requests/$rows_new"
  done

  if verify=$("$candor" audit verify --root "$site" 2>&1); then
    echo "$db: $verify"
  else
    problem "$db: candor audit verify: $verify"
  fi
  stop_candor
done

# ---- the table --------------------------------------------------------------------------------

echo
echo "wrk -t$THREADS on $(nproc) shared cores; static: -c$STATIC_CONNECTIONS -d$STATIC_DURATION; downloads: -c$CONNECTIONS, window $DURATION; gated PDF $(($(wc -c <"$pdf") / 1000)) KB"
{
  echo "target|requests/s|p50|p99|errors|audit rows (expected/actual)"
  printf '%s\n' "${rows[@]}"
} | awk -F'|' '{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > width[i]) width[i] = length($i) } n = NR; f = NF }
  END { for (r = 1; r <= n; r++) { line = ""; for (i = 1; i <= f; i++) line = line sprintf(i == 1 ? "%-*s" : "  %*s", width[i], cell[r, i]); print line } }'
[ -n "${ratio:-}" ] && echo "static throughput candor/nginx: $ratio"
if [ "$fail" -ne 0 ]; then
  echo "FAILED: see PROBLEM lines above" >&2
  exit 1
fi
