// Live preview in a real browser: `candor serve` on a copy of the example site; an edit shows in
// the open tab without touching it, a broken file shows an overlay naming file and line, and the
// preview recovers once the file is fixed. Also takes the screenshots used in docs/editing*.md.
// Usage: node preview.mjs CANDOR_BINARY SITE_DIR SCREENSHOT_DIR
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchChromium } from "./lib.mjs";

const [candor, site, shotDir] = process.argv.slice(2);
if (!candor || !site || !shotDir) {
  console.error("usage: node preview.mjs CANDOR_BINARY SITE_DIR SCREENSHOT_DIR");
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });
const failures = [];

const server = spawn(candor, ["serve", "--root", site, "--addr", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "pipe"] });
let log = "";
const origin = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`candor serve did not start:\n${log}`)), 60000);
  const onData = (chunk) => {
    log += chunk;
    const m = log.match(/on (http:\/\/127\.0\.0\.1:\d+)/);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  };
  server.stdout.on("data", onData);
  server.stderr.on("data", onData);
});

const browser = await launchChromium();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
const file = join(site, "content", "contact.md");
const original = readFileSync(file, "utf8");
try {
  await page.goto(origin + "/en/contact/", { waitUntil: "load" });
  await page.screenshot({ path: join(shotDir, "preview-page.png") });
  // Let the page's event stream connect before editing.
  await page.waitForTimeout(500);

  // 1. An edit shows in the open tab.
  const started = Date.now();
  writeFileSync(file, original.replace(/^title: .*$/m, 'title: "Contact us (edited)"'));
  await page.waitForFunction(() => document.querySelector("main h1")?.textContent === "Contact us (edited)", null, { timeout: 20000 });
  const shownAfter = Date.now() - started;

  // 2. A broken file shows the errors, with file and line.
  await page.waitForTimeout(300);
  writeFileSync(file, original.replace(/^title: .*\n/m, ""));
  await page.waitForSelector("#candor-error", { timeout: 20000 });
  const overlay = await page.textContent("#candor-error");
  if (!overlay.includes("content/contact.md:1") || !overlay.includes("the title is missing")) {
    failures.push(`the error overlay does not name the file and line: ${overlay}`);
  }
  await page.screenshot({ path: join(shotDir, "preview-error.png") });

  // 3. Fixing it brings the page back.
  await page.waitForTimeout(300);
  writeFileSync(file, original);
  await page.waitForFunction(() => !document.querySelector("#candor-error") && document.querySelector("main h1"), null, { timeout: 20000 });
  const title = await page.textContent("main h1");
  console.log(`preview: an edit showed in the open tab after ${shownAfter} ms, the error overlay named content/contact.md:1, the page recovered ("${title}")`);
} catch (e) {
  failures.push(`${e.message}\nserver log:\n${log}`);
} finally {
  writeFileSync(file, original);
  await browser.close();
  server.kill("SIGINT");
}
if (failures.length) {
  for (const f of failures) console.error(`preview: ${f}`);
  process.exit(1);
}
