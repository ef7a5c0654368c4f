// The portal in a real browser: `candor serve --production` on a copy of the example site, walked
// like a visitor does it, by clicking and typing:
//   - EN, gated document: the document page's "Request access" link, the form sent empty (the
//     error summary takes focus, fields carry aria-invalid and aria-describedby), then filled in
//     with an @example.org address (approved automatically); the confirmation link from the
//     outbox, "Confirm"; the grant link from the outbox, the landing page, a PDF download;
//   - DE, NDA document: the NDA text (a focusable box that scrolls with the keyboard) and its
//     checkbox, the form sent without accepting, then accepted with the keyboard; an address that
//     waits for review ("pending"), approved with `candor requests approve`; landing, download;
//   - the generic 403 page of a refused link and the 404 page under /portal/.
// On every distinct page: axe-core (WCAG 2.2 A/AA) in light and dark, the Nu HTML Checker on the
// HTML the server sent, zero console errors and CSP violations, no horizontal scroll at 390 px,
// `<html lang>`; on the forms, Tab reaches the fields and the submit button in order.
// Screenshots (portal-*.png) go to SCREENSHOT_DIR.
// Usage: node portal.mjs CANDOR_BINARY SITE_DIR SCREENSHOT_DIR
// Prints one summary line per check and exits non-zero on any failure.
import { spawn, execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync, mkdirSync, mkdtempSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const [candor, site, shotDir] = process.argv.slice(2);
if (!candor || !site || !shotDir) {
  console.error("usage: node portal.mjs CANDOR_BINARY SITE_DIR SCREENSHOT_DIR");
  process.exit(2);
}
mkdirSync(shotDir, { recursive: true });
const failures = [];
const fail = (tool, message) => failures.push(`${tool}: ${message}`);
const summary = [];

// A fresh state: no store, keys or mail from an earlier run.
rmSync(join(site, ".candor"), { recursive: true, force: true });
const outbox = join(site, ".candor", "outbox");

// ---------------------------------------------------------------- the server
const server = spawn(candor, ["serve", "--production", "--root", site, "--addr", "127.0.0.1:0"], {
  stdio: ["ignore", "pipe", "pipe"],
});
let log = "";
const origin = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`candor serve did not start:\n${log}`)), 60000);
  const onData = (chunk) => {
    log += chunk;
    const m = log.match(/on (http:\/\/127\.0\.0\.1:\d+)/);
    if (m && /Portal on/.test(log)) { clearTimeout(timer); resolve(m[1]); }
  };
  server.stdout.on("data", onData);
  server.stderr.on("data", onData);
  server.on("exit", (code) => reject(new Error(`candor serve exited (${code}):\n${log}`)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const axeTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

// ---------------------------------------------------------------- the mails
const seenMails = new Set();
/** The next unseen mail to `to` with a link containing `kind` (`/confirm/`, `/grant/`): its local URL. */
async function mailedLink(to, kind) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const names = existsSync(outbox) ? readdirSync(outbox).filter((n) => n.endsWith(".eml")) : [];
    for (const name of names) {
      if (seenMails.has(name)) continue;
      const text = readFileSync(join(outbox, name), "utf8");
      if (!new RegExp(`^To: .*${to.replace(/[.]/g, "\\.")}`, "mi").test(text)) continue;
      const m = text.match(new RegExp(`https://trust\\.example\\.com(/portal/[a-z]+${kind}[A-Za-z0-9._~-]+)`));
      if (!m) continue;
      seenMails.add(name);
      return origin + m[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to} with a ${kind} link in ${outbox}`);
}

// ---------------------------------------------------------------- checks on one page
const htmlDir = mkdtempSync(join(tmpdir(), "candor-portal-html-"));
const checked = []; // { name, file }
let axeRuns = 0, axeViolations = 0, consoleErrors = 0, cspViolations = 0, scrollers = 0, shots = 0;

/** A tab with listeners for console errors, CSP violations and failed requests. */
async function newTab(context) {
  const page = await context.newPage();
  page.problems = [];
  page.expectedStatus = new Map(); // URL → status the test expects (403, 404, 422)
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    const text = m.text();
    // Chromium logs every 4xx document as "Failed to load resource"; the expected ones are fine.
    const expected = page.expectedStatus.get(m.location().url);
    if (expected && text.includes(`status of ${expected}`)) return;
    if (/Content Security Policy/i.test(text)) cspViolations++;
    page.problems.push(text);
  });
  page.on("pageerror", (e) => page.problems.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => {
    // A download leaves the page: its navigation is "aborted" by design.
    if (r.url().includes("/portal/download/") || r.url().includes("/grant/")) return;
    page.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  // Violations reported to the page (also those Chromium does not log).
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return page;
}

/** Runs `action` (a click, a goto) and waits for the document it loads; its response. */
async function navigate(page, action) {
  const response = page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame());
  await action();
  const r = await response;
  await page.waitForLoadState("load");
  return r;
}

/** All the checks on the page now shown; `name` names it in messages, files and screenshots. */
async function checkPage(page, name, response, { status = 200, lang }) {
  if (response.status() !== status) fail("http", `${name}: status ${response.status()}, expected ${status}`);
  // The HTML as the server sent it, for the Nu HTML Checker.
  const file = join(htmlDir, `${name}.html`);
  writeFileSync(file, await response.text());
  checked.push({ name, file });
  const htmlLang = await page.evaluate(() => document.documentElement.lang);
  if (htmlLang !== lang) fail("lang", `${name}: <html lang="${htmlLang}">, expected "${lang}"`);
  if (!(await page.title())) fail("html", `${name}: no title`);
  if (!(await page.$("main h1"))) fail("html", `${name}: no h1 in main`);

  await page.evaluate(axeSource);
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), axeTags);
    axeRuns++;
    for (const v of result.violations) {
      axeViolations += v.nodes.length;
      fail("axe", `${name} (${scheme}): ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
    }
    if (scheme === "dark" && name.startsWith("request")) {
      await page.screenshot({ path: join(shotDir, `portal-${name}-dark.png`), fullPage: true });
      shots++;
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: join(shotDir, `portal-${name}.png`), fullPage: true });
  shots++;

  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 900 });
  const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  if (scrolls) {
    scrollers++;
    fail("layout", `${name} scrolls horizontally at 390 px`);
  }
  await page.screenshot({ path: join(shotDir, `portal-${name}-390.png`), fullPage: true });
  shots++;
  await page.setViewportSize(viewport);

  const csp = await page.evaluate(() => window.__csp || []);
  cspViolations += csp.length;
  for (const v of csp) page.problems.push(`CSP violation: ${v}`);
  consoleErrors += page.problems.length;
  for (const p of page.problems) fail("console", `${name}: ${p}`);
  page.problems.length = 0;
}

/** Tab from the top of the page: the fields and the submit button come in this order. */
async function checkTabOrder(page, name, ids) {
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  // Start from the document: the first Tab goes to the skip link.
  await page.focus("body").catch(() => {});
  let reached = null;
  for (let i = 0; i < 80 && reached !== ids[0]; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.id || null);
  }
  const order = [reached];
  for (let i = 1; i < ids.length; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => {
      const el = document.activeElement;
      return el?.id || (el?.matches("button[type=submit]") ? "submit" : el?.outerHTML.slice(0, 60));
    }));
  }
  const ok = order.join(" ") === ids.join(" ");
  if (!ok) fail("keyboard", `${name}: Tab goes ${order.join(" → ")}, expected ${ids.join(" → ")}`);
  // Every stop shows where the focus is.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  if (outline === "none") fail("keyboard", `${name}: the focused submit button has no visible outline`);
  return ok;
}

/** The error summary and the fields it names. */
async function checkErrors(page, name, fields) {
  const summaryBox = await page.$(".form-errors");
  if (!summaryBox) { fail("errors", `${name}: no error summary`); return; }
  const info = await page.evaluate(() => {
    const box = document.querySelector(".form-errors");
    const labelledBy = box.getAttribute("aria-labelledby");
    return {
      role: box.getAttribute("role"),
      tabindex: box.getAttribute("tabindex"),
      focused: document.activeElement === box,
      name: labelledBy ? document.getElementById(labelledBy)?.textContent : null,
      links: [...box.querySelectorAll("a")].map((a) => a.getAttribute("href")),
      title: document.title,
    };
  });
  if (info.role !== "alert") fail("errors", `${name}: the error summary has role=${info.role}, not alert`);
  if (info.tabindex !== "-1") fail("errors", `${name}: the error summary is not focusable (tabindex=${info.tabindex})`);
  if (!info.focused) fail("errors", `${name}: the error summary does not have the focus when the page loads`);
  if (!info.name) fail("errors", `${name}: the error summary is not named by its heading`);
  if (info.links.join(" ") !== fields.map((f) => `#${f}`).join(" ")) {
    fail("errors", `${name}: the error summary links ${info.links.join(" ")}, expected ${fields.map((f) => `#${f}`).join(" ")}`);
  }
  for (const f of fields) {
    const field = await page.evaluate((id) => {
      const el = document.getElementById(id);
      if (!el) return null;
      const described = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean)
        .map((d) => document.getElementById(d)?.textContent?.trim() || `(missing #${d})`);
      const link = [...document.querySelectorAll(".form-errors a")].find((a) => a.getAttribute("href") === `#${id}`);
      return { invalid: el.getAttribute("aria-invalid"), described, summary: link?.textContent.trim() };
    }, f);
    if (!field) { fail("errors", `${name}: no field #${f}`); continue; }
    if (field.invalid !== "true") fail("errors", `${name}: #${f} has no aria-invalid="true"`);
    if (!field.described.length || field.described.some((d) => d.startsWith("(missing"))) {
      fail("errors", `${name}: #${f} is not described by its error (${field.described.join(", ")})`);
    } else if (!field.described.includes(field.summary)) {
      fail("errors", `${name}: #${f} is described by "${field.described.join(" ")}", the summary says "${field.summary}"`);
    }
  }
  // Following a link of the summary moves to its field.
  await page.click(`.form-errors a[href="#${fields[0]}"]`);
  const inView = await page.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  }, fields[0]);
  if (!inView) fail("errors", `${name}: the summary's link does not show #${fields[0]}`);
  return info;
}

/** Clicks a POST button that answers with a file; checks a PDF arrives. */
async function checkDownload(page, name, button) {
  const downloadPromise = page.waitForEvent("download", { timeout: 30000 });
  await button.click();
  const download = await downloadPromise;
  const failure = await download.failure();
  if (failure) { fail("download", `${name}: ${failure}`); return null; }
  const path = join(htmlDir, `${name}.bin`);
  await download.saveAs(path);
  const bytes = readFileSync(path);
  const file = download.suggestedFilename();
  if (!file.endsWith(".pdf") || bytes.subarray(0, 5).toString() !== "%PDF-") {
    fail("download", `${name}: ${file} (${bytes.length} bytes) is not a PDF`);
  }
  return `${file} (${Math.round(bytes.length / 1024)} KiB)`;
}

const flows = [];
let keyboardForms = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });

  // ============================================================ EN: gated document, auto-approved
  {
    const page = await newTab(context);
    const email = "jane.doe@example.org";
    await navigate(page, () => page.goto(origin + "/en/documents/pentest-summary/"));
    let r = await navigate(page, () => page.getByRole("link", { name: "Request access" }).click());
    if (!page.url().endsWith("/portal/en/request/pentest-summary")) fail("flow", `"Request access" led to ${page.url()}`);
    await checkPage(page, "request-en", r, { lang: "en" });
    if (await checkTabOrder(page, "request-en", ["name", "email", "company", "reason", "submit"])) keyboardForms++;

    // Sent empty: the server's error summary (the browser's own bubbles are switched off).
    page.expectedStatus.set(page.url(), 422);
    r = await navigate(page, () => page.getByRole("button", { name: "Send request" }).click());
    await checkErrors(page, "request-errors-en", ["name", "email", "company", "reason"]);
    await checkPage(page, "request-errors-en", r, { status: 422, lang: "en" });
    if (await checkTabOrder(page, "request-errors-en", ["name", "email", "company", "reason", "submit"])) keyboardForms++;

    // Filled in by typing.
    await page.getByRole("textbox", { name: /^Full name/ }).click();
    await page.keyboard.type("Jane Doe");
    await page.getByRole("textbox", { name: /^Work e-mail/ }).click();
    await page.keyboard.type(email);
    await page.getByRole("textbox", { name: /^Company/ }).click();
    await page.keyboard.type("Example Org Ltd");
    await page.getByRole("textbox", { name: /^Reason for the request/ }).click();
    await page.keyboard.type("Vendor risk review for our procurement.");
    r = await navigate(page, () => page.getByRole("button", { name: "Send request" }).click());
    const sentHeading = await page.textContent("main h1");
    if (sentHeading !== "Check your inbox") fail("flow", `after sending: "${sentHeading}"`);
    await checkPage(page, "sent-en", r, { lang: "en" });

    // The mailed confirmation link, and its button.
    const confirmUrl = await mailedLink(email, "/confirm/");
    r = await navigate(page, () => page.goto(confirmUrl));
    await checkPage(page, "confirm-en", r, { lang: "en" });
    r = await navigate(page, () => page.getByRole("button", { name: "Confirm my address" }).click());
    const approvedHeading = await page.textContent("main h1");
    if (approvedHeading !== "Access granted") fail("flow", `after confirming: "${approvedHeading}"`);
    await checkPage(page, "approved-en", r, { lang: "en" });

    // The mailed grant link: the landing page and a download.
    const grantUrl = await mailedLink(email, "/grant/");
    r = await navigate(page, () => page.goto(grantUrl));
    await checkPage(page, "landing-en", r, { lang: "en" });
    const got = await checkDownload(page, "download-en", page.getByRole("button", { name: /^Download/ }).first());
    flows.push(`EN gated (auto-approved): document page → form → errors → sent → confirm → approved → landing → ${got ?? "no PDF"}`);

    // A link that cannot be used, and an unknown address under /portal/.
    const denied = `${origin}/portal/en/grant/v1.bogus.token.value`;
    page.expectedStatus.set(denied, 403);
    r = await navigate(page, () => page.goto(denied));
    await checkPage(page, "denied-en", r, { status: 403, lang: "en" });
    const missing = `${origin}/portal/en/request/no-such-document`;
    page.expectedStatus.set(missing, 404);
    r = await navigate(page, () => page.goto(missing));
    await checkPage(page, "not-found-en", r, { status: 404, lang: "en" });
    await page.close();
  }

  // ============================================================ DE: NDA document, reviewed
  {
    const page = await newTab(context);
    const email = "erika.muster@firma.example";
    await navigate(page, () => page.goto(origin + "/de/dokumente/iso27001-auditbericht/"));
    let r = await navigate(page, () => page.getByRole("link", { name: "Zugang anfordern" }).click());
    if (!page.url().endsWith("/portal/de/request/iso27001-audit-report")) fail("flow", `"Zugang anfordern" led to ${page.url()}`);
    await checkPage(page, "request-nda-de", r, { lang: "de" });
    const order = ["name", "email", "company", "reason", "nda-text", "nda", "submit"];
    if (await checkTabOrder(page, "request-nda-de", order)) keyboardForms++;

    // The NDA box scrolls with the keyboard.
    await page.focus("#nda-text");
    const before = await page.$eval("#nda-text", (el) => ({ top: el.scrollTop, scrollable: el.scrollHeight > el.clientHeight }));
    await page.keyboard.press("PageDown");
    await page.waitForTimeout(300);
    const after = await page.$eval("#nda-text", (el) => el.scrollTop);
    if (!before.scrollable) fail("nda", "the NDA text is not a scrolling box");
    else if (!(after > before.top)) fail("nda", "the NDA text does not scroll with PageDown when focused");

    // Filled in, NDA not accepted.
    await page.getByRole("textbox", { name: /^Vollständiger Name/ }).fill("Erika Muster");
    await page.getByRole("textbox", { name: /^Geschäftliche E-Mail-Adresse/ }).fill(email);
    await page.getByRole("textbox", { name: /^Unternehmen/ }).fill("Firma GmbH");
    await page.getByRole("textbox", { name: /^Zweck der Anfrage/ }).fill("Lieferantenbewertung");
    page.expectedStatus.set(page.url(), 422);
    r = await navigate(page, () => page.getByRole("button", { name: "Anfrage senden" }).click());
    await checkErrors(page, "request-nda-errors-de", ["nda"]);
    await checkPage(page, "request-nda-errors-de", r, { status: 422, lang: "de" });
    if (await checkTabOrder(page, "request-nda-errors-de", order)) keyboardForms++;
    const kept = await page.inputValue("#email");
    if (kept !== email) fail("errors", `request-nda-errors-de: the e-mail field lost its value ("${kept}")`);

    // Accept with the keyboard (Space on the checkbox), send with the keyboard (Enter on the button).
    await page.focus("#nda");
    await page.keyboard.press("Space");
    if (!(await page.isChecked("#nda"))) fail("keyboard", "Space does not tick the NDA checkbox");
    await page.keyboard.press("Tab");
    r = await navigate(page, () => page.keyboard.press("Enter"));
    const sentHeading = await page.textContent("main h1");
    if (sentHeading !== "Bitte prüfen Sie Ihr Postfach") fail("flow", `nach dem Senden: "${sentHeading}"`);
    await checkPage(page, "sent-de", r, { lang: "de" });

    const confirmUrl = await mailedLink(email, "/confirm/");
    r = await navigate(page, () => page.goto(confirmUrl));
    await checkPage(page, "confirm-de", r, { lang: "de" });
    r = await navigate(page, () => page.getByRole("button", { name: "Adresse bestätigen" }).click());
    const pendingHeading = await page.textContent("main h1");
    if (pendingHeading !== "Adresse bestätigt") fail("flow", `nach der Bestätigung: "${pendingHeading}"`);
    await checkPage(page, "pending-de", r, { lang: "de" });

    // The operator approves; the grant mail arrives.
    const list = JSON.parse(execFileSync(candor, ["requests", "list", "--root", site, "--json", "--status", "pending"], { encoding: "utf8" }));
    const request = list.find((q) => q.email === email);
    if (!request) throw new Error(`no pending request from ${email}: ${JSON.stringify(list)}`);
    execFileSync(candor, ["requests", "approve", "--root", site, request.id], { stdio: "ignore" });
    const grantUrl = await mailedLink(email, "/grant/");
    r = await navigate(page, () => page.goto(grantUrl));
    await checkPage(page, "landing-de", r, { lang: "de" });
    const got = await checkDownload(page, "download-de", page.getByRole("button", { name: /^Herunterladen/ }).first());
    flows.push(`DE NDA (reviewed): document page → form → errors → sent → confirm → pending → approved by CLI → landing → ${got ?? "no PDF"}`);

    const denied = `${origin}/portal/de/confirm/v1.bogus.token.value`;
    page.expectedStatus.set(denied, 403);
    r = await navigate(page, () => page.goto(denied));
    await checkPage(page, "denied-de", r, { status: 403, lang: "de" });
    const missing = `${origin}/portal/de/gibt-es-nicht`;
    page.expectedStatus.set(missing, 404);
    r = await navigate(page, () => page.goto(missing));
    await checkPage(page, "not-found-de", r, { status: 404, lang: "de" });
    await page.close();
  }
  await context.close();
} catch (e) {
  fail("flow", `${e.stack || e.message}\nserver log:\n${log}`);
} finally {
  await browser.close();
  server.kill("SIGINT");
}

// ---------------------------------------------------------------- vnu on what the server sent
let vnuErrors = 0;
if (checked.length) {
  const jar = join(require.resolve("vnu-jar"), "..", "build", "dist", "vnu.jar");
  let report;
  try {
    report = execFileSync("java", ["-jar", jar, "--format", "json", "--errors-only", ...checked.map((c) => c.file)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    report = e.stderr || e.stdout; // vnu exits 1 on errors; its JSON goes to stderr
  }
  let messages;
  try {
    messages = JSON.parse(report || "{\"messages\":[]}").messages || [];
  } catch {
    messages = [{ type: "error", message: `unreadable vnu output: ${String(report).slice(0, 500)}` }];
  }
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  vnuErrors = errors.length;
  for (const m of errors.slice(0, 40)) {
    const page = m.url ? new URL(m.url).pathname.split("/").pop().replace(/\.html$/, "") : "";
    fail("vnu", `${page}:${m.lastLine ?? "?"}: ${m.message}`);
  }
}
rmSync(htmlDir, { recursive: true, force: true });

const names = checked.map((c) => c.name);
summary.push(`portal flow: ${flows.length}/2 flows completed${flows.length ? ` (${flows.join("; ")})` : ""}`);
summary.push(`portal vnu: ${names.length} pages checked (${names.join(", ")}), ${vnuErrors} errors`);
summary.push(`portal axe-core: ${names.length} pages × light and dark = ${axeRuns} runs, ${axeViolations} violations (WCAG 2.2 A/AA)`);
summary.push(`portal csp: ${names.length} pages with the real headers, ${consoleErrors} console errors, ${cspViolations} CSP violations`);
summary.push(`portal layout: ${names.length} pages at 390 px, ${scrollers} scroll horizontally; ${shots} screenshots in ${shotDir}`);
summary.push(`portal keyboard: Tab reaches the fields and the submit button in order on ${keyboardForms}/4 forms; the error summary takes focus`);
for (const line of summary) console.log(line);
if (failures.length) {
  console.error(`\n${failures.length} problem(s):`);
  for (const f of failures.slice(0, 200)) console.error(`  ${f}`);
  process.exit(1);
}
