#!/usr/bin/env python3
"""Measures the live preview: how long `candor serve` takes to show an edit.

    benches/preview.py CANDOR_BINARY SITE_DIR [PAGE_EDITS] [TEMPLATE_EDITS] [TITLE_EDITS]

SITE_DIR is a site made by benches/site/generate.py (put it on tmpfs, e.g. /dev/shm). The script
starts `CANDOR_BINARY serve` on a free loopback port, listens to the preview's reload events, then
edits one page's body PAGE_EDITS times (default 20), the shared template base.html
TEMPLATE_EDITS times (default 5) and the page's title TITLE_EDITS times (default 5; the section
and the side navigation of its 49 neighbours show it too). After each edit it waits for the reload event after which the
page, fetched over HTTP, shows the edit, and records:

- rebuild: the time the server reports for the rebuild ("Rebuilt … in 12.3 ms"), and
- shown: from writing the file to the reload event (the watcher's 40 ms quiet period, the rebuild
  and the swap), and
- cpu: the CPU time the server used meanwhile (all threads; from /proc, in steps of 10 ms), which
  a busy machine disturbs less than wall time.

It prints median, min and max of both for both kinds of edit. The edited files are restored.
"""
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

# The page edited: in a section of 50 (generate.py's default shape) or, with SHAPE=one, in the
# one section that holds every page.
if os.environ.get("SHAPE") == "one":
    PAGE = "content/all/page00005.md"
    PAGE_URL = "/en/all/page00005/"
else:
    PAGE = "content/area00/section000/page00005.md"
    PAGE_URL = "/en/area00/section000/page00005/"
TEMPLATE = "themes/default/templates/base.html"
TEMPLATE_ANCHOR = '<meta name="color-scheme" content="light dark">'


class Server:
    """`candor serve` with its output collected line by line."""

    def __init__(self, binary, site):
        self.proc = subprocess.Popen(
            [binary, "serve", "--root", site, "--addr", "127.0.0.1:0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines = []
        self.lock = threading.Lock()
        self.origin = None
        started = threading.Event()

        def read():
            for line in self.proc.stdout:
                with self.lock:
                    self.lines.append(line.rstrip("\n"))
                m = re.search(r"on http://(127\.0\.0\.1:\d+)", line)
                if m:
                    self.origin = m.group(1)
                    started.set()
        threading.Thread(target=read, daemon=True).start()
        if not started.wait(600):
            self.stop()
            sys.exit("candor serve did not start:\n" + "\n".join(self.lines))

    def rebuild_lines(self, since):
        with self.lock:
            return [l for l in self.lines[since:] if l.startswith(("Rebuilt", "Built"))]

    def cpu_ms(self):
        """User + system CPU time of the server so far (Linux)."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
        except OSError:
            return 0.0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class Reloads:
    """The preview's server-sent reload events, with the time each arrived."""

    def __init__(self, origin):
        host, port = origin.split(":")
        self.sock = socket.create_connection((host, int(port)))
        self.sock.sendall(b"GET /_candor/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n")
        self.times = []
        self.cond = threading.Condition()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        buf = b""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return
            now = time.perf_counter()
            buf += chunk
            n = buf.count(b"event: reload")
            if n:
                buf = buf[buf.rfind(b"event: reload") + 1:]
                with self.cond:
                    self.times.extend([now] * n)
                    self.cond.notify_all()

    def wait_after(self, index, timeout):
        """The time of reload event number `index` (0-based), waiting up to `timeout` s."""
        with self.cond:
            if not self.cond.wait_for(lambda: len(self.times) > index, timeout):
                return None
            return self.times[index]


def fetch(origin, path):
    with urllib.request.urlopen(f"http://{origin}{path}", timeout=30) as r:
        return r.read().decode("utf-8")


def measure(server, reloads, site, rel, edited, marker, n):
    """Makes `n` edits of `rel` (edited(original, i) gives the new text) and measures each."""
    path = os.path.join(site, rel)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    rebuilds, shown, cpu = [], [], []
    try:
        for i in range(n):
            since = len(server.lines)
            seen = len(reloads.times)
            text = edited(original, i)
            cpu_before = server.cpu_ms()
            started = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            while True:
                at = reloads.wait_after(seen, 120)
                if at is None:
                    sys.exit(f"no reload after editing {rel}:\n" + "\n".join(server.lines[since:]))
                seen += 1
                if marker(i) in fetch(server.origin, PAGE_URL):
                    break
            shown.append((at - started) * 1000)
            cpu.append(server.cpu_ms() - cpu_before)
            # The server prints its line before it swaps the site in; give the reader a moment.
            for _ in range(100):
                lines = server.rebuild_lines(since)
                if lines:
                    break
                time.sleep(0.01)
            ms = [float(m.group(1)) for l in lines if (m := re.search(r" in ([\d.]+) ms", l))]
            rebuilds.append(sum(ms))
            time.sleep(0.3)
            print(f"  {rel} #{i + 1}: rebuild {sum(ms):.1f} ms, shown after {shown[-1]:.1f} ms, "
                  f"cpu {cpu[-1]:.0f} ms  [{lines[-1] if lines else '?'}]")
    finally:
        # Restore the file and let the preview rebuild before the next measurement.
        seen = len(reloads.times)
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        reloads.wait_after(seen, 120)
        time.sleep(0.3)
    return rebuilds, shown, cpu


def summary(label, values):
    if not values:
        return f"{label}: -"
    return (f"{label}: median {statistics.median(values):.1f} ms, "
            f"min {min(values):.1f} ms, max {max(values):.1f} ms (n={len(values)})")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, site = sys.argv[1], sys.argv[2]
    page_edits = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    template_edits = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    title_edits = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    server = Server(binary, site)
    try:
        print("\n".join(server.lines))
        reloads = Reloads(server.origin)
        time.sleep(0.5)
        print(f"{page_edits} edits of one page's body ({PAGE}):")
        page = measure(server, reloads, site, PAGE,
                       lambda text, i: text + f"\nBench marker {i}.\n",
                       lambda i: f"Bench marker {i}.", page_edits)
        print(f"{template_edits} edits of the shared template ({TEMPLATE}):")
        template = measure(server, reloads, site, TEMPLATE,
                           lambda text, i: text.replace(
                               TEMPLATE_ANCHOR,
                               TEMPLATE_ANCHOR + f'<meta name="candor-bench" content="tpl-{i}">'),
                           lambda i: f"tpl-{i}", template_edits)
        print(f"{title_edits} edits of the same page's title:")
        title = measure(server, reloads, site, PAGE,
                        lambda text, i: re.sub(r"(?m)^title: .*$", f'title: "Bench title {i}"', text, 1),
                        lambda i: f"Bench title {i}", title_edits)
    finally:
        server.stop()
    print()
    print(summary("page edit, rebuild      ", page[0]))
    print(summary("page edit, shown        ", page[1]))
    print(summary("page edit, cpu          ", page[2]))
    print(summary("template edit, rebuild  ", template[0]))
    print(summary("template edit, shown    ", template[1]))
    print(summary("template edit, cpu      ", template[2]))
    print(summary("title edit, rebuild     ", title[0]))
    print(summary("title edit, shown       ", title[1]))
    print(summary("title edit, cpu         ", title[2]))


if __name__ == "__main__":
    main()
