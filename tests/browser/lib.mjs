// What the browser checks share: Chromium as the tests launch it, and axe-core with the WCAG tags
// every page is held to.
import { createServer } from "node:http";
import { readFileSync, statSync, existsSync } from "node:fs";
import { join, extname } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);

/** Debian's Chromium (or $CHROMIUM), headless, with nothing that reaches the network. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const axeTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Loads axe-core into the page (once per page load). */
export async function loadAxe(page) {
  await page.evaluate(axeSource);
}

/** Runs axe on the page's document; returns its violations, each with a one-line description. */
export async function axeViolations(page) {
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), axeTags);
  return result.violations.map((v) => ({
    nodes: v.nodes.length,
    text: `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`,
  }));
}

const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
  ".svg": "image/svg+xml", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf",
  ".asc": "text/plain",
};

/**
 * Serves a built site on loopback as a static host would, with the security headers of its
 * `_headers` file (HSTS left out: no TLS here) and its 404 pages. Resolves to
 * `{ origin, close, securityHeaders }`.
 */
export async function servePublic(publicDir) {
  const headerLines = readFileSync(join(publicDir, "_headers"), "utf8").split("\n");
  const securityHeaders = Object.fromEntries(
    headerLines
      .filter((l) => l.startsWith("  ") && l.includes(": "))
      .map((l) => l.trim().split(/: (.*)/s).slice(0, 2))
      .filter(([name]) => name !== "Strict-Transport-Security"),
  );
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const path = decodeURIComponent(url.pathname);
    if (path.includes("..")) { res.writeHead(400); res.end(); return; }
    let file = join(publicDir, path.endsWith("/") ? path + "index.html" : path);
    let status = 200;
    if (!existsSync(file) || statSync(file).isDirectory()) {
      const lang = path.split("/")[1];
      file = existsSync(join(publicDir, lang, "404.html")) ? join(publicDir, lang, "404.html") : join(publicDir, "404.html");
      status = 404;
    }
    res.writeHead(status, { "Content-Type": types[extname(file)] || "application/octet-stream", ...securityHeaders });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close(), securityHeaders };
}
