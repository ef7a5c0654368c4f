#!/usr/bin/env python3
"""The admin console's pages against a large store: how long each takes to answer.

    console.py CANDOR_BINARY SITE_DIR [AUDIT_ROWS] [REQUESTS] [RUNS]

Starts `candor serve --production` on SITE_DIR (a copy of the example site) once to create its
store, stops it, fills the SQLite store with REQUESTS requests (with grants for a third of them)
and AUDIT_ROWS audit rows (downloads, requests, sign-ins; the rows are not chained, which the
pages do not read), starts the server again, signs in as the example's owner (the mailed link and
a TOTP code computed here, RFC 6238) and requests each console page RUNS times. Prints the
median and the slowest time per page (server side, from the request log line, and end to end).
Target (issue 18): every page under 50 ms with 100,000 audit rows and 10,000 requests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import os
import re
import sqlite3
import statistics
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

OWNER = "privacy@example.com"


def start(binary: str, site: Path, env: dict) -> tuple[subprocess.Popen, str, list[str]]:
    proc = subprocess.Popen(
        [binary, "serve", "--production", "--root", str(site), "--addr", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    addr: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line.rstrip("\n"))
            m = re.search(r"Portal on http://([0-9.:]+)/", line)
            if m:
                addr.append(m.group(1))
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60):
        proc.kill()
        sys.exit("the server did not start:\n" + "\n".join(lines))
    return proc, addr[0], lines


def request(addr: str, method: str, path: str, cookie: str | None = None, body: dict | None = None):
    conn = http.client.HTTPConnection(addr, timeout=60)
    headers = {"User-Agent": "candor-bench/1.0"}
    data = None
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=data, headers=headers)
    r = conn.getresponse()
    text = r.read().decode("utf-8", "replace")
    set_cookie = r.getheader("Set-Cookie")
    conn.close()
    return r.status, text, set_cookie, r.getheader("Location")


def totp(secret_b32: str, at: float) -> str:
    key = base64.b32decode(secret_b32.replace(" ", "") + "=" * (-len(secret_b32.replace(" ", "")) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    o = digest[19] & 0xF
    return f"{(struct.unpack('>I', digest[o:o + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def sign_in(addr: str, site: Path) -> str:
    outbox = site / ".candor" / "outbox"
    before = set(os.listdir(outbox)) if outbox.exists() else set()
    request(addr, "POST", "/admin/en/sign-in", body={"email": OWNER})
    link = None
    for _ in range(200):
        for name in sorted(set(os.listdir(outbox)) - before):
            m = re.search(r"https://trust\.example\.com(/admin/en/link/\S+)", (outbox / name).read_text())
            if m:
                link = m.group(1)
        if link:
            break
        time.sleep(0.05)
    if not link:
        sys.exit("no sign-in mail")
    _, _, cookie, _ = request(addr, "POST", link)
    cookie = cookie.split(";")[0]
    _, page, _, _ = request(addr, "GET", "/admin/en/second-factor", cookie)
    secret = re.search(r'class="totp-secret">([^<]+)<', page).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    status, _, cookie2, _ = request(
        addr, "POST", "/admin/en/second-factor", cookie, {"csrf": csrf, "code": totp(secret, time.time())}
    )
    if status != 303 or not cookie2:
        sys.exit(f"the second factor was refused ({status})")
    return cookie2.split(";")[0]


def fill(db: Path, audit_rows: int, requests: int) -> None:
    c = sqlite3.connect(db)
    now = int(time.time())
    docs = ["pentest-summary", "iso27001-audit-report", "iso27001-certificate", "c5-attestation-report"]
    statuses = ["pending", "approved", "rejected", "unverified", "expired"]
    req_rows = []
    grant_rows = []
    for i in range(requests):
        rid = f"rbench{i:09d}"
        status = statuses[i % len(statuses)]
        created = now - (requests - i) * 60
        gid = f"gbench{i:09d}" if status == "approved" else None
        req_rows.append((rid, created, "en", docs[i % 4], f"Person {i}", f"person{i}@company{i % 500}.example",
                         f"Company {i % 500}", "Vendor review", None, None, status, created + 30,
                         created + 600 if status in ("approved", "rejected") else None,
                         "bench" if status in ("approved", "rejected") else None, gid))
        if gid:
            grant_rows.append((gid, rid, docs[i % 4], "en", f"Person {i}", f"person{i}@company{i % 500}.example",
                               f"Company {i % 500}", created + 600, created + 600 + 30 * 86400, None, 10, 1))
    c.executemany("INSERT INTO requests (id, created_at, lang, document_id, name, email, company, reason, "
                  "nda_version, nda_sha256, status, verified_at, decided_at, decided_by, grant_id) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", req_rows)
    c.executemany("INSERT INTO grants (id, request_id, document_id, lang, name, email, company, created_at, "
                  "expires_at, revoked_at, max_downloads, downloads) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", grant_rows)
    start_seq = c.execute("SELECT COALESCE(MAX(seq), 0) FROM audit").fetchone()[0] + 1
    events = ["download", "request", "email_verified", "link_opened", "token_issued", "admin_signed_in"]
    rows = []
    for i in range(audit_rows):
        t = time.gmtime(now - (audit_rows - i) * 30)
        at = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", t)
        ev = events[i % len(events)]
        g = grant_rows[i % len(grant_rows)][0] if grant_rows and ev == "download" else None
        rows.append((start_seq + i, at, ev, None, g, docs[i % 4], None, f"person{i % requests}@company{i % 500}.example",
                     "192.0.2.1", "bench", None, "0" * 64, "0" * 64, None))
    c.executemany("INSERT INTO audit (seq, at, event, request_id, grant_id, document_id, version, email, ip, "
                  "user_agent, detail, prev_hash, hash, key_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    # The counts the server keeps with each download (migration 9), as its downloads would have.
    c.execute("INSERT INTO download_counts (day, document_id, company, downloads) "
              "SELECT SUBSTR(a.at, 1, 10), a.document_id, COALESCE(g.company, ''), COUNT(*) "
              "FROM audit a LEFT JOIN grants g ON g.id = a.grant_id "
              "WHERE a.event = 'download' AND a.seq >= ? GROUP BY 1, 2, 3 "
              "ON CONFLICT (day, document_id, company) DO UPDATE SET downloads = downloads + excluded.downloads",
              (start_seq,))
    c.commit()
    c.close()


def main() -> None:
    binary, site = sys.argv[1], Path(sys.argv[2])
    audit_rows = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    requests = int(sys.argv[4]) if len(sys.argv) > 4 else 10_000
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 20
    env = dict(os.environ)
    subprocess.run([binary, "keygen", "--certificate", "--root", str(site)], check=True, capture_output=True)
    env["CANDOR_AGREEMENT_KEY"] = str(site / ".candor/keys/agreement-key.pem")
    env["CANDOR_AGREEMENT_CERTIFICATE"] = str(site / ".candor/keys/agreement-cert.pem")
    proc, addr, _ = start(binary, site, env)
    cookie = sign_in(addr, site)
    proc.terminate()
    proc.wait()
    fill(site / ".candor" / "portal.db", audit_rows, requests)
    proc, addr, log = start(binary, site, env)
    # The cookie's session is in the store; it is still good after the restart.
    pages = [
        "/admin/en/requests",
        "/admin/en/requests?state=all&page=150",
        "/admin/en/grants",
        "/admin/en/downloads?days=90",
        "/admin/en/audit",
        "/admin/en/audit?event=download",
        "/admin/en/audit?actor=person77%40company77.example",
        f"/admin/en/audit?before={audit_rows // 2}",
        "/admin/en/rules",
        "/admin/en/settings",
    ]
    print(f"machine: {os.cpu_count()} cores; store: {requests:,} requests, {audit_rows:,} audit rows (SQLite); "
          f"{runs} requests per page")
    print(f"{'page':<58} {'median':>8} {'slowest':>8}  (end to end, ms)")
    worst = 0.0
    for path in pages:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            status, text, _, _ = request(addr, "GET", path, cookie)
            times.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                sys.exit(f"{path}: {status}\n{text[:500]}")
        med = statistics.median(times)
        worst = max(worst, med)
        print(f"{path:<58} {med:8.1f} {max(times):8.1f}")
    proc.terminate()
    proc.wait()
    print(f"slowest median: {worst:.1f} ms (target: under 50 ms)")


if __name__ == "__main__":
    main()
