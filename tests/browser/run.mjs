// Checks the built example site as visitors see it, with the tools the web's experts use:
//   - the Nu HTML Checker (vnu-jar, with the machine's Java) on every page;
//   - axe-core in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) on
//     every page, in light and dark color schemes, for WCAG 2.x A/AA rules;
//   - every page loaded with the site's real security headers (from `_headers`, the same
//     definition the portal uses): zero console errors, zero CSP violations, zero failed requests;
//   - no page scrolls horizontally at 390 px; screenshots of key pages at 390 and 1280 px;
//   - keyboard: the skip link and the main navigation reach the content;
//   - search: "encryption" / "Verschlüsselung" find the right page first.
// Usage: node run.mjs PUBLIC_DIR SCREENSHOT_DIR
// Prints one summary line per tool and exits non-zero on any failure.
import { readFileSync, readdirSync, statSync, mkdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { launchChromium, loadAxe, axeViolations, servePublic } from "./lib.mjs";

const require = createRequire(import.meta.url);
const [publicDir, shotDir] = process.argv.slice(2);
if (!publicDir || !shotDir) {
  console.error("usage: node run.mjs PUBLIC_DIR SCREENSHOT_DIR");
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });
const failures = [];
const summary = [];
const fail = (tool, message) => failures.push(`${tool}: ${message}`);

// ---------------------------------------------------------------- the site's pages
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
const htmlFiles = walk(publicDir).filter((p) => p.endsWith(".html"));
const isRedirect = (p) => readFileSync(p, "utf8").includes("http-equiv=refresh");
const pages = htmlFiles
  .filter((p) => !isRedirect(p))
  .map((p) => "/" + relative(publicDir, p).split(sep).join("/").replace(/index\.html$/, ""));

// ---------------------------------------------------------------- vnu
{
  const jar = join(require.resolve("vnu-jar"), "..", "build", "dist", "vnu.jar");
  let report;
  try {
    report = execFileSync("java", ["-jar", jar, "--format", "json", "--skip-non-html", "--errors-only", ...htmlFiles], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    // vnu exits 1 when it reports errors; its JSON goes to stderr.
    report = e.stderr || e.stdout;
  }
  let messages = [];
  try {
    const parsed = JSON.parse(report || "{\"messages\":[]}");
    messages = parsed.messages || [];
  } catch {
    // vnu writes JSON to stderr; when stdout had nothing, parse stderr.
    messages = [{ type: "error", message: `unreadable vnu output: ${String(report).slice(0, 500)}` }];
  }
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  for (const m of errors.slice(0, 30)) {
    fail("vnu", `${m.url ? relative(publicDir, new URL(m.url).pathname) : ""}:${m.lastLine ?? "?"}: ${m.message}`);
  }
  summary.push(`vnu: ${htmlFiles.length} pages checked, ${errors.length} errors`);
}

// ---------------------------------------------------------------- a server with the real headers
const { origin, close: closeServer, securityHeaders } = await servePublic(publicDir);
if (!securityHeaders["Content-Security-Policy"]) {
  fail("csp", "_headers has no Content-Security-Policy");
}

// ---------------------------------------------------------------- Chromium
const browser = await launchChromium();

let loads = 0, violations = 0, consoleErrors = 0, cspViolations = 0, scrollers = 0;
for (const [scheme, width] of [["light", 1280], ["dark", 390]]) {
  const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 } });
  for (const path of pages) {
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => {
      if (m.type() === "error") {
        problems.push(m.text());
        if (/Content Security Policy/i.test(m.text())) cspViolations++;
      }
    });
    page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    page.on("response", (r) => {
      // The 404 pages themselves answer 404; anything else they load must succeed.
      if (r.status() >= 400 && !(r.url() === origin + path && path.endsWith("404.html"))) {
        problems.push(`HTTP ${r.status()}: ${r.url()}`);
      }
    });
    await page.goto(origin + path, { waitUntil: "load" });
    await loadAxe(page);
    for (const v of await axeViolations(page)) {
      violations += v.nodes;
      fail("axe", `${path} (${scheme}): ${v.text}`);
    }
    if (width === 390) {
      const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
      if (scrolls) {
        scrollers++;
        fail("layout", `${path} scrolls horizontally at 390 px`);
      }
    }
    consoleErrors += problems.length;
    for (const p of problems) fail("csp", `${path} (${scheme}): ${p}`);
    loads++;
    await page.close();
  }
  await context.close();
}
summary.push(`axe-core: ${pages.length} pages × light and dark = ${loads} loads, ${violations} violations (WCAG 2.2 A/AA)`);
summary.push(`csp: ${loads} loads with the real headers, ${consoleErrors} console errors, ${cspViolations} CSP violations`);

// ---------------------------------------------------------------- screenshots
const shots = [
  ["home", { en: "/en/", de: "/de/" }],
  ["document", { en: "/en/documents/dpa/", de: "/de/dokumente/avv/" }],
  ["vdp", { en: "/en/vulnerability-disclosure/", de: "/de/schwachstellen-melden/" }],
];
let shotCount = 0;
for (const width of [390, 1280]) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  for (const [name, byLang] of shots) {
    for (const [lang, path] of Object.entries(byLang)) {
      await page.goto(origin + path, { waitUntil: "load" });
      await page.screenshot({ path: join(shotDir, `${name}-${lang}-${width}.png`), fullPage: true });
      shotCount++;
    }
  }
  await context.close();
}
summary.push(`layout: ${pages.length} pages at 390 px, ${scrollers} scroll horizontally; ${shotCount} screenshots in ${shotDir}`);

// ---------------------------------------------------------------- keyboard
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(origin + "/en/privacy/", { waitUntil: "load" });
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => ({ cls: document.activeElement.className, text: document.activeElement.textContent }));
  if (first.cls !== "skip-link") fail("keyboard", `the first Tab stop is "${first.text}", not the skip link`);
  const skipVisible = await page.evaluate(() => document.activeElement.getBoundingClientRect().top >= 0);
  if (!skipVisible) fail("keyboard", "the focused skip link is not visible");
  await page.keyboard.press("Enter");
  const afterSkip = await page.evaluate(() => document.activeElement.id || document.activeElement.closest("main")?.id);
  if (afterSkip !== "main") fail("keyboard", `the skip link moved focus to "${afterSkip}", not to the main content`);
  // The next Tab lands inside the content, not back in the header.
  await page.keyboard.press("Tab");
  const inMain = await page.evaluate(() => !!document.activeElement.closest("main"));
  if (!inMain) fail("keyboard", "after the skip link, Tab does not continue in the main content");
  // From the top, Tab reaches the main navigation, and Enter follows it.
  await page.goto(origin + "/en/", { waitUntil: "load" });
  let reached = null;
  for (let i = 0; i < 20 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => (document.activeElement.closest(".main-nav") ? document.activeElement.getAttribute("href") : null));
  }
  // Focus is visible: the focused link has an outline.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  if (outline === "none") fail("keyboard", "the focused navigation link has no visible outline");
  if (!reached) fail("keyboard", "the main navigation cannot be reached with Tab");
  else {
    await page.keyboard.press("Enter");
    await page.waitForURL(origin + reached);
    const heading = await page.evaluate(() => document.querySelector("main h1")?.textContent);
    if (!heading) fail("keyboard", `following ${reached} with Enter shows no content`);
  }
  await context.close();
  summary.push(`keyboard: skip link ${first.cls === "skip-link" ? "first" : "missing"}, main navigation reached (${reached ?? "no"})`);
}

// ---------------------------------------------------------------- search
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cases = [
    ["/en/search/", "encryption", "/en/security/encryption/"],
    ["/de/suche/", "Verschlüsselung", "/de/sicherheit/verschluesselung/"],
  ];
  let ok = 0;
  for (const [path, query, expected] of cases) {
    await page.goto(origin + path, { waitUntil: "load" });
    await page.fill("#search-q", query);
    await page.press("#search-q", "Enter");
    await page.waitForSelector(".search-list li a");
    const first = await page.evaluate(() => document.querySelector(".search-list li a").getAttribute("href"));
    if (first !== expected) fail("search", `"${query}" lists ${first} first, expected ${expected}`);
    else ok++;
  }
  // The header form leads to results too (GET ?q=).
  await page.goto(origin + "/de/", { waitUntil: "load" });
  await page.fill("#site-q", "Verschlüsselung");
  await page.press("#site-q", "Enter");
  await page.waitForSelector(".search-list li a");
  const viaHeader = await page.evaluate(() => document.querySelector(".search-list li a").getAttribute("href"));
  if (viaHeader !== "/de/sicherheit/verschluesselung/") fail("search", `the header search lists ${viaHeader} first`);
  await context.close();
  summary.push(`search: ${ok}/${cases.length} queries list the right page first, header search ${viaHeader === "/de/sicherheit/verschluesselung/" ? "works" : "fails"}`);
}

await browser.close();
closeServer();
for (const line of summary) console.log(line);
if (failures.length) {
  console.error(`\n${failures.length} problem(s):`);
  for (const f of failures.slice(0, 200)) console.error(`  ${f}`);
  process.exit(1);
}
