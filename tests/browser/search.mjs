// The site search of a large site in a real browser: a generated bilingual site whose search
// index is split into term shards and page chunks (src/site/search.rs). Checks that queries find
// the right pages (whole words, the start of a word, several words, German words with umlauts, a
// miss) and that a query downloads only the manifest, one shard per word and the chunks of the
// results it shows: never the whole index. Served with the site's real security headers: no
// console errors, no CSP violations, no failed requests.
// Usage: node search.mjs CANDOR_BINARY WORK_DIR
// Prints one summary line and exits non-zero on any failure.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, servePublic } from "./lib.mjs";

const [candor, work] = process.argv.slice(2);
if (!candor || !work) {
  console.error("usage: node search.mjs CANDOR_BINARY WORK_DIR");
  process.exit(2);
}
const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const failures = [];
const fail = (message) => failures.push(`search: ${message}`);

// ---------------------------------------------------------------- a site too large for one index
const N = 1100; // pages per language, about 4 KB of text each: over the 4 MiB of one index
const site = join(work, "site");
rmSync(work, { recursive: true, force: true });
mkdirSync(join(site, "content", "kb"), { recursive: true });
cpSync(join(repo, "themes"), join(site, "themes"), { recursive: true });
cpSync(join(repo, "locales"), join(site, "locales"), { recursive: true });
writeFileSync(join(site, "site.yaml"), `title: {en: Large Trust Center, de: Großes Trust Center}
description: {en: A large site., de: Eine große Seite.}
base_url: https://trust.example.com
languages: [en, de]
company: {name: Large GmbH}
contacts: {security: security@example.com, privacy: privacy@example.com}
security_txt: {expires: 2099-01-01T00:00:00Z, policy: "https://trust.example.com/vdp"}
paginate_by: 50
`);
const write = (path, text) => writeFileSync(join(site, "content", path), text);
write("_index.md", "---\ntitle: Home\n---\nThe knowledge base.\n");
write("_index.de.md", "---\ntitle: Start\n---\nDie Wissensdatenbank.\n");
write("kb/_index.md", "---\ntitle: Knowledge base\n---\nEvery answer.\n");
write("kb/_index.de.md", "---\ntitle: Wissensdatenbank\nslug: wissen\n---\nJede Antwort.\n");
const filler = (words, n) => Array.from({ length: n }, (_, i) => words[(i * 7) % words.length]).join(" ");
const en = "lorem ipsum dolor sit amet consectetur adipiscing elit sed tempor".split(" ");
const de = "Daten Sicherheit Prüfung Verschlüsselung Übermittlung Schlüssel Überwachung Löschung".split(" ");
for (let i = 0; i < N; i++) {
  const n = String(i).padStart(4, "0");
  write(`kb/entry-${n}.md`, `---\ntitle: "Entry ${n}"\n---\nkbword${n} ${filler(en, 650)}\n\n## Details\n\nmore kbword${n} text.\n`);
  write(`kb/entry-${n}.de.md`, `---\ntitle: "Eintrag ${n}"\nslug: eintrag-${n}\n---\nprüfbericht${n} ${filler(de, 420)}\n`);
}
const out = join(work, "public");
execFileSync(candor, ["build", "--root", site, "--output", out, "--quiet"], { stdio: "inherit" });

const manifest = JSON.parse(readFileSync(join(out, "en", "search-index.json"), "utf8"));
if (Array.isArray(manifest) || manifest.v !== 1 || manifest.docs !== N + 2) {
  fail(`the English index is not split as expected: ${JSON.stringify(manifest).slice(0, 200)}`);
}
const parts = readdirSync(join(out, "en", "search-index"));

// ---------------------------------------------------------------- queries in Chromium
const { origin, close } = await servePublic(out);
const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const problems = [];
let requests = [];
page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
page.on("response", async (r) => {
  if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  if (r.url().includes("search-index")) {
    const body = await r.body().catch(() => Buffer.alloc(0));
    requests.push({ url: r.url().slice(origin.length), bytes: body.length });
  }
});

const cases = [
  // [search page, query, first result, results, shards loaded]
  ["/en/search/", "kbword0777", "/en/kb/entry-0777/", 1, 1],
  ["/en/search/", "kbword077", null, 10, 1],
  ["/en/search/", "KBWORD0123 lorem", "/en/kb/entry-0123/", 1, 2],
  ["/de/suche/", "Prüfbericht0042", "/de/wissen/eintrag-0042/", 1, 1],
  // No shard begins with "no": nothing is downloaded but the manifest.
  ["/en/search/", "nothingmatcheszz", null, 0, 0],
];
let ok = 0;
let most = 0;
for (const [path, query, first, count, shards] of cases) {
  requests = [];
  await page.goto(`${origin}${path}?q=${encodeURIComponent(query)}`, { waitUntil: "networkidle" });
  await page.waitForSelector(".search-summary");
  const summary = await page.textContent(".search-summary");
  const links = await page.$$eval(".search-list li a", (as) => as.map((a) => a.getAttribute("href")));
  const before = failures.length;
  if (count > 0 && !summary.includes(String(count)) && !(count === 1 && links.length === 1)) {
    fail(`"${query}": "${summary}", expected ${count} results`);
  }
  if (links.length !== Math.min(count, 50)) fail(`"${query}": ${links.length} links, expected ${count}`);
  if (first && links[0] !== first) fail(`"${query}": ${links[0]} first, expected ${first}`);
  const shardRequests = requests.filter((r) => r.url.includes("/search-index/t-"));
  const chunkRequests = requests.filter((r) => r.url.includes("/search-index/d-"));
  if (shardRequests.length !== shards) {
    fail(`"${query}": ${shardRequests.length} shards loaded, expected ${shards}: ${shardRequests.map((r) => r.url)}`);
  }
  if (chunkRequests.length > Math.max(1, Math.ceil(Math.min(count, 50) / manifest.chunk) + 1)) {
    fail(`"${query}": ${chunkRequests.length} page chunks loaded`);
  }
  const bytes = requests.reduce((s, r) => s + r.bytes, 0);
  most = Math.max(most, bytes);
  if (bytes > 1024 * 1024) fail(`"${query}" downloaded ${bytes} bytes of index`);
  if (failures.length === before) ok++;
}
if (problems.length) fail(`console errors or failed requests: ${problems.slice(0, 5).join("; ")}`);
await browser.close();
close();

console.log(`search (split index, ${N} pages per language in ${parts.length} files): ${ok}/${cases.length} queries right, at most ${Math.round(most / 1024)} KiB downloaded per query, ${problems.length} console errors`);
if (failures.length) {
  console.error(`\n${failures.length} problem(s):`);
  for (const f of failures) console.error(`  ${f}`);
  process.exit(1);
}
