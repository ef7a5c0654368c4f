// The portal in a real browser: `candor serve --production` on a copy of the example site, walked
// like a visitor does it, by clicking and typing:
//   - EN, gated document: the document page's "Request access" link, the form sent empty (the
//     error summary takes focus, fields carry aria-invalid and aria-describedby), then filled in
//     with an @example.org address (approved automatically); the confirmation link from the
//     outbox, "Confirm"; the grant link from the outbox, the landing page, a PDF download;
//   - DE, NDA document: the NDA text (a focusable box that scrolls with the keyboard) and its
//     checkbox, the form sent without accepting, then accepted with the keyboard; an address that
//     waits for review ("pending"), approved with `candor requests approve`; landing, download;
//   - the generic 403 page of a refused link and the 404 page under /portal/;
//   - DE, signable document (the AVV): the document page's "Diesen Vertrag online abschließen", the
//     e-mail form (sent empty, then filled in), the signing link from the outbox, "Adresse
//     bestätigen", the signing form (the agreement text scrolls with the keyboard, the language
//     radios move with the arrow keys), sent empty (error summary), then filled in by typing and
//     accepted with the keyboard; "Vertrag abgeschlossen", the two mails with the signed PDF (to the
//     signatory and to the legal contact), "Ihre Verträge" and the signed PDF's download; the used
//     signing link again, a refused "Ihre Verträge" link;
//   - EN, the English-only UK Addendum: the document page's "Conclude this agreement online", the
//     e-mail form, the signing link, the signing form (one language), concluded; "Your agreements".
//   - the admin console (/admin/): an owner signs in with the mailed link and enrols a TOTP
//     authenticator (the code computed here, RFC 6238), approves a waiting request (the grant mail
//     arrives), revokes the grant (its link is refused), and every console page in English and
//     German is checked like the rest;
//   - passkeys on http://localhost:PORT with Chromium's virtual authenticator (CDP WebAuthn domain):
//     an approver enrols a passkey, signs out and signs in again with it.
// On every distinct page: axe-core (WCAG 2.2 A/AA) in light and dark, the Nu HTML Checker on the
// HTML the server sent, zero console errors and CSP violations, no horizontal scroll at 390 px,
// `<html lang>`; on the forms, Tab reaches the fields and the submit button in order.
// Screenshots (portal-*.png) go to SCREENSHOT_DIR.
// Usage: node portal.mjs CANDOR_BINARY SITE_DIR SCREENSHOT_DIR
// Prints one summary line per check and exits non-zero on any failure.
import { spawn, execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync, mkdirSync, mkdtempSync, existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { createHmac } from "node:crypto";
import { launchChromium, loadAxe, axeViolations } from "./lib.mjs";

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
// Production needs a key and certificate that sign executed agreements (the site has signable
// documents): a new pair, as an operator creates it.
execFileSync(candor, ["keygen", "--certificate", "--root", site], { stdio: ["ignore", "ignore", "inherit"] });
const agreementKeys = {
  CANDOR_AGREEMENT_KEY: resolve(site, ".candor", "keys", "agreement-key.pem"),
  CANDOR_AGREEMENT_CERTIFICATE: resolve(site, ".candor", "keys", "agreement-cert.pem"),
};

// ---------------------------------------------------------------- the server
const server = spawn(candor, ["serve", "--production", "--root", site, "--addr", "127.0.0.1:0"], {
  stdio: ["ignore", "pipe", "pipe"],
  env: { ...process.env, ...agreementKeys },
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

const browser = await launchChromium();

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

/** The next unseen mail to `to` with a PDF attached: its text part and the PDF's bytes. */
async function mailedPdf(to) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const names = existsSync(outbox) ? readdirSync(outbox).filter((n) => n.endsWith(".eml")) : [];
    for (const name of names) {
      if (seenMails.has(name)) continue;
      const text = readFileSync(join(outbox, name), "utf8");
      if (!new RegExp(`^To: .*${to.replace(/[.]/g, "\\.")}`, "mi").test(text)) continue;
      const boundary = text.match(/^Content-Type: multipart\/mixed;[^]*?boundary="?([^"\r\n;]+)"?/mi)?.[1];
      if (!boundary) continue;
      seenMails.add(name);
      const parts = text.split(`--${boundary}`).slice(1, -1).map((part) => {
        const split = part.search(/\r?\n\r?\n/);
        return { head: part.slice(0, split), body: part.slice(split).trim() };
      });
      const body = parts.find((q) => /^Content-Type: text\/plain/mi.test(q.head))?.body ?? "";
      const pdfPart = parts.find((q) => /^Content-Type: application\/pdf/mi.test(q.head));
      const pdf = pdfPart && /^Content-Transfer-Encoding: base64/mi.test(pdfPart.head)
        ? Buffer.from(pdfPart.body.replace(/\s+/g, ""), "base64") : null;
      // The file name, also when split into RFC 2231 parts (filename*0="…").
      const file = [...(pdfPart?.head ?? "").matchAll(/filename(?:\*\d+)?\*?="?([^"\r\n;]+)"?/gi)].map((m) => m[1]).join("") || null;
      return { name, body, pdf, file };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to} with a PDF attached in ${outbox}`);
}

// ---------------------------------------------------------------- checks on one page
const htmlDir = mkdtempSync(join(tmpdir(), "candor-portal-html-"));
const checked = []; // { name, file }
let axeRuns = 0, axeViolationCount = 0, consoleErrors = 0, cspViolations = 0, scrollers = 0, shots = 0;

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
    if (r.url().includes("/portal/download/") || r.url().includes("/grant/") ||
      r.url().includes("/portal/agreements/download/") ||
      (r.method() === "POST" && /\/portal\/[a-z]+\/agreements\//.test(r.url()))) return;
    // The icon's request is cut off when the test navigates on before it finished: not a fault.
    if (r.url().endsWith("/favicon.svg") && r.failure()?.errorText === "net::ERR_ABORTED") return;
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

  await loadAxe(page);
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    axeRuns++;
    for (const v of await axeViolations(page)) {
      axeViolationCount += v.nodes;
      fail("axe", `${name} (${scheme}): ${v.text}`);
    }
    if (scheme === "dark" && (name.startsWith("request") || name.startsWith("sign-form"))) {
      await page.screenshot({ path: join(shotDir, `portal-${name}-dark.png`), fullPage: true });
      shots++;
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: join(shotDir, `portal-${name}.png`), fullPage: true });
  shots++;

  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 900 });
  const wide = await page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    // The innermost elements that reach past the window's right edge, to say what to fix.
    const past = [...document.body.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1);
    const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other)));
    return {
      width: root.scrollWidth,
      culprits: innermost.slice(0, 3).map((el) => `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : ""}` +
        ` (${Math.round(el.getBoundingClientRect().right)} px: "${el.textContent.trim().slice(0, 50)}")`),
    };
  });
  if (wide) {
    scrollers++;
    fail("layout", `${name} scrolls horizontally at 390 px (${wide.width} px wide; ${wide.culprits.join(", ")})`);
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
      if (el?.id) return el.id;
      if (el?.matches("button[type=submit]")) return "submit";
      // Stops without an id: links and scrolling regions, named by what they are.
      if (el?.matches("a[href]")) return "link";
      if (el?.getAttribute("role") === "region") return "region";
      return el?.outerHTML.slice(0, 60);
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
  // The scroll to the fragment may come a frame after the click: give it a moment.
  await page.waitForFunction((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  }, fields[0], { timeout: 2000 }).catch(() => {});
  const shown = await page.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return { top: Math.round(r.top), bottom: Math.round(r.bottom), height: innerHeight, url: location.hash, scrollY: Math.round(scrollY) };
  }, fields[0]);
  if (!(shown.top >= 0 && shown.bottom <= shown.height)) {
    fail("errors", `${name}: the summary's link does not show #${fields[0]} (${shown.url}, scrollY ${shown.scrollY}: ` +
      `the field spans ${shown.top}–${shown.bottom} px of a ${shown.height} px window)`);
  }
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

const escapeRe = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The text field labelled `label` (the label also says "required" or "optional" in brackets). */
const textbox = (page, label) => page.getByRole("textbox", { name: new RegExp(`^${escapeRe(label)} \\(`) });

// What the agreement flow finds and types, per language.
const conclude = {
  de: {
    docPage: "/de/dokumente/avv/", doc: "dpa", title: "Auftragsverarbeitungsvertrag (AVV)",
    concludeLink: "Diesen Vertrag online abschließen", email: "Ihre geschäftliche E-Mail-Adresse",
    sendLink: "Link senden", sent: "Bitte prüfen Sie Ihr Postfach", confirm: "E-Mail-Adresse bestätigen",
    confirmButton: "Adresse bestätigen", form: "Abschließen: ", submit: "Vertrag abschließen",
    done: "Vertrag abgeschlossen", list: "Ihre Verträge", download: /herunterladen \(PDF\)$/,
    used: "Link bereits verwendet", denied: "Dieser Link kann nicht verwendet werden",
    labels: {
      company: "Name des Unternehmens", address: "Postanschrift", registration: "Registernummer",
      privacy_contact: "E-Mail-Adresse für Datenschutzfragen", signatory_name: "Vollständiger Name",
      signatory_title: "Funktion", signatory_email: "E-Mail-Adresse",
    },
    values: {
      company: "Kunde Beispiel GmbH", address: "Musterstraße 1\n10115 Berlin\nDeutschland", registration: "HRB 123456 B",
      privacy_contact: "datenschutz@kunde.example", signatory_name: "Max Mustermann", signatory_title: "Geschäftsführer",
    },
  },
  en: {
    docPage: "/en/documents/uk-addendum/", doc: "uk-addendum", title: "UK International Data Transfer Addendum",
    concludeLink: "Conclude this agreement online", email: "Your work e-mail",
    sendLink: "Send the link", sent: "Check your inbox", confirm: "Confirm your e-mail address",
    confirmButton: "Confirm my address", form: "Conclude: ", submit: "Conclude the agreement",
    done: "Agreement concluded", list: "Your agreements", download: /^Download .* \(PDF\)$/,
    used: "Link already used", denied: "This link cannot be used",
    labels: {
      company: "Company name", address: "Postal address", registration: "Registration number",
      privacy_contact: "E-mail for privacy matters", signatory_name: "Full name",
      signatory_title: "Position", signatory_email: "E-mail",
    },
    values: {
      company: "Customer Example Ltd", address: "1 Example Street\nLondon EC1A 1AA\nUnited Kingdom", registration: "",
      privacy_contact: "privacy@customer.example", signatory_name: "Sam Example", signatory_title: "Director",
    },
  },
};
const legalContact = "legal@example.com";
const agreementsDone = []; // one line per concluded agreement, for the summary

/** The response to a GET of `url` in the browser's context (its cookies): a PDF, as an attachment. */
async function checkPdfResponse(page, name, url) {
  const response = await page.request.get(url, { maxRedirects: 0 });
  const type = response.headers()["content-type"] || "";
  const disposition = response.headers()["content-disposition"] || "";
  const body = await response.body();
  if (response.status() !== 200) fail("download", `${name}: ${url} answered ${response.status()}`);
  if (type.split(";")[0].trim() !== "application/pdf") fail("download", `${name}: Content-Type ${type}, expected application/pdf`);
  if (!/^attachment;/.test(disposition)) fail("download", `${name}: Content-Disposition "${disposition}", expected an attachment`);
  if (body.subarray(0, 5).toString() !== "%PDF-") fail("download", `${name}: the body does not start with %PDF- (${JSON.stringify(body.subarray(0, 16).toString())})`);
  return { type, bytes: body.length, body };
}

/**
 * Concludes the signable document of language `lang` like a customer: the document page's link,
 * the e-mail form, the mailed signing link, the confirmation, the signing form, the success page,
 * the mails with the signed PDF, "Your agreements" and the download. With `errors`, also sends
 * both forms empty first. Returns the flow's line for the summary.
 */
async function concludeFlow(context, lang, email, { errors }) {
  const L = conclude[lang];
  const page = await newTab(context);
  const heading = () => page.textContent("main h1");
  await navigate(page, () => page.goto(origin + L.docPage));
  const link = page.locator("section.conclude").getByRole("link", { name: L.concludeLink });
  let r = await navigate(page, () => link.click());
  if (!page.url().endsWith(`/portal/${lang}/sign/${L.doc}`)) fail("flow", `"${L.concludeLink}" led to ${page.url()}`);
  await checkPage(page, `sign-start-${lang}`, r, { lang });
  if (await checkTabOrder(page, `sign-start-${lang}`, ["email", "submit"])) keyboardForms++;

  if (errors) {
    page.expectedStatus.set(page.url(), 422);
    r = await navigate(page, () => page.getByRole("button", { name: L.sendLink }).click());
    await checkErrors(page, `sign-start-errors-${lang}`, ["email"]);
    await checkPage(page, `sign-start-errors-${lang}`, r, { status: 422, lang });
    if (await checkTabOrder(page, `sign-start-errors-${lang}`, ["email", "submit"])) keyboardForms++;
  }
  await textbox(page, L.email).click();
  await page.keyboard.type(email);
  r = await navigate(page, () => page.getByRole("button", { name: L.sendLink }).click());
  if ((await heading()) !== L.sent) fail("flow", `sign-sent-${lang}: "${await heading()}"`);
  await checkPage(page, `sign-sent-${lang}`, r, { lang });

  // The mailed signing link shows a button first (a mail scanner's GET changes nothing).
  const signUrl = await mailedLink(email, "/sign/link/");
  r = await navigate(page, () => page.goto(signUrl));
  if ((await heading()) !== L.confirm) fail("flow", `sign-confirm-${lang}: "${await heading()}"`);
  await checkPage(page, `sign-confirm-${lang}`, r, { lang });
  r = await navigate(page, () => page.getByRole("button", { name: L.confirmButton }).click());
  if ((await heading()) !== L.form + L.title) fail("flow", `sign-form-${lang}: "${await heading()}"`);
  await checkPage(page, `sign-form-${lang}`, r, { lang });

  // The language versions: one radio per file, the authoritative one labelled so.
  const radios = await page.$$eval("input[type=radio][name=language]", (els) =>
    els.map((e) => ({ id: e.id, value: e.value, checked: e.checked, label: e.labels[0]?.textContent ?? "" })));
  const chosen = radios.find((x) => x.checked);
  const expectRadios = lang === "de" ? ["de", "en"] : ["en"];
  if (radios.map((x) => x.value).sort().join(" ") !== expectRadios.join(" ")) {
    fail("sign", `sign-form-${lang}: language versions ${radios.map((x) => x.value).join(", ")}, expected ${expectRadios.join(", ")}`);
  }
  if (!chosen || chosen.value !== lang) fail("sign", `sign-form-${lang}: the checked language is ${chosen?.value}, expected ${lang}`);
  if (lang === "de" && !radios.some((x) => x.value === "de" && /maßgeblich/.test(x.label))) {
    fail("sign", `sign-form-de: the German version is not labelled authoritative (${radios.map((x) => x.label).join(" / ")})`);
  }
  const kept = await page.inputValue("#signatory_email");
  if (kept !== email) fail("sign", `sign-form-${lang}: the signatory's e-mail is "${kept}", expected the proven ${email}`);

  // Tab: the party, the signatory, the checked language, the files, the agreement text, the
  // acceptance, the button.
  const files = await page.$$eval("ul.downloads a[href]", (els) => els.length);
  const order = ["company", "address", "registration", "privacy_contact", "signatory_name", "signatory_title",
    "signatory_email", chosen?.id ?? "language-0", ...Array(files).fill("link"), "region", "accept", "submit"];
  if (await checkTabOrder(page, `sign-form-${lang}`, order)) keyboardForms++;

  // The files of the version to sign are there.
  for (const href of await page.$$eval("ul.downloads a[href]", (els) => els.map((a) => a.href))) {
    const file = await page.request.get(href);
    const start = (await file.body()).subarray(0, 5).toString();
    if (file.status() !== 200 || start !== "%PDF-") fail("sign", `sign-form-${lang}: ${href} answered ${file.status()} (${start})`);
  }

  // The agreement's text: a focusable, named region that scrolls with the keyboard.
  const region = page.getByRole("region", { name: lang === "de" ? /^Text der Version/ : /^Text of version/ });
  if (!(await region.count())) fail("sign", `sign-form-${lang}: no region with the agreement text`);
  else {
    await region.focus();
    const before = await region.evaluate((el) => ({ top: el.scrollTop, scrollable: el.scrollHeight > el.clientHeight, text: el.textContent.length }));
    await page.keyboard.press("PageDown");
    await page.waitForTimeout(300);
    const after = await region.evaluate((el) => el.scrollTop);
    if (before.text < 500) fail("sign", `sign-form-${lang}: the agreement text has only ${before.text} characters`);
    if (!before.scrollable) fail("sign", `sign-form-${lang}: the agreement text is not a scrolling box`);
    else if (!(after > before.top)) fail("sign", `sign-form-${lang}: the agreement text does not scroll with PageDown when focused`);
  }

  // The radio group moves with the arrow keys (and back).
  if (radios.length > 1 && chosen) {
    await page.focus(`#${chosen.id}`);
    await page.keyboard.press("ArrowDown");
    const moved = await page.$eval("input[name=language]:checked", (e) => e.value);
    await page.keyboard.press("ArrowUp");
    const back = await page.$eval("input[name=language]:checked", (e) => e.value);
    if (moved === chosen.value || back !== chosen.value) {
      fail("keyboard", `sign-form-${lang}: the arrow keys move the language choice ${chosen.value} → ${moved} → ${back}`);
    }
  }

  const action = await page.$eval("main form[action$='/execute']", (f) => f.action).catch(() => null);
  if (!action) throw new Error(`sign-form-${lang}: no form posting to …/execute`);
  if (errors) {
    // Sent as it is shown (only the proven e-mail and the language are filled in).
    page.expectedStatus.set(action, 422);
    r = await navigate(page, () => page.getByRole("button", { name: L.submit }).click());
    const missing = ["company", "address", "privacy_contact", "signatory_name", "signatory_title", "accept"];
    await checkErrors(page, `sign-form-errors-${lang}`, missing);
    await checkPage(page, `sign-form-errors-${lang}`, r, { status: 422, lang });
    if (await checkTabOrder(page, `sign-form-errors-${lang}`, order)) keyboardForms++;
    const still = await page.inputValue("#signatory_email");
    if (still !== email) fail("errors", `sign-form-errors-${lang}: the signatory's e-mail lost its value ("${still}")`);
    const stillLang = await page.$eval("input[name=language]:checked", (e) => e.value).catch(() => null);
    if (stillLang !== lang) fail("errors", `sign-form-errors-${lang}: the language choice is ${stillLang}, expected ${lang}`);
  }

  // Filled in by typing; accepted with Space, sent with Enter on the button.
  for (const [field, value] of Object.entries(L.values)) {
    if (!value) continue;
    await textbox(page, L.labels[field]).click();
    const lines = value.split("\n");
    for (let i = 0; i < lines.length; i++) {
      if (i) await page.keyboard.press("Enter");
      await page.keyboard.type(lines[i]);
    }
  }
  await page.focus("#accept");
  await page.keyboard.press("Space");
  if (!(await page.isChecked("#accept"))) fail("keyboard", `sign-form-${lang}: Space does not tick the acceptance`);
  await page.keyboard.press("Tab");
  r = await navigate(page, () => page.keyboard.press("Enter"));
  if ((await heading()) !== L.done) fail("flow", `sign-done-${lang}: "${await heading()}" ${(await page.textContent(".form-errors").catch(() => "")) ?? ""}`);
  await checkPage(page, `sign-done-${lang}`, r, { lang });

  // The signed PDF by mail, to the signatory (with the "Your agreements" link) and to legal.
  const mails = [];
  for (const to of [email, legalContact]) {
    const mail = await mailedPdf(to);
    if (!mail.pdf || mail.pdf.subarray(0, 5).toString() !== "%PDF-") {
      fail("mail", `${mail.name} to ${to}: no base64 application/pdf part that starts with %PDF-`);
    } else {
      mails.push(`${to} (${mail.file}, ${Math.round(mail.pdf.length / 1024)} KiB)`);
    }
    if (to === email && !new RegExp(`https://trust\\.example\\.com/portal/${lang}/agreements/`).test(mail.body)) {
      fail("mail", `${mail.name} to ${to}: no "${L.list}" link`);
    }
  }

  // "Your agreements", linked from the success page.
  r = await navigate(page, () => page.getByRole("link", { name: L.list }).click());
  if (!new RegExp(`/portal/${lang}/agreements/[A-Za-z0-9._~-]+$`).test(page.url())) fail("flow", `"${L.list}" led to ${page.url()}`);
  if ((await heading()) !== L.list) fail("flow", `agreements-${lang}: "${await heading()}"`);
  await checkPage(page, `agreements-${lang}`, r, { lang });
  const rows = await page.$$eval("main table tbody tr", (trs) => trs.map((tr) => tr.textContent));
  if (rows.length !== 1 || !rows[0].includes(L.values.company)) {
    fail("agreements", `agreements-${lang}: ${rows.length} rows (${rows.join(" | ").slice(0, 200)}), expected one for ${L.values.company}`);
  }
  const agreementsUrl = page.url();

  // The download: POST → 303 to a short-lived link → the signed PDF as an attachment.
  const redirect = page.waitForResponse((x) => x.request().method() === "POST" && x.url() === agreementsUrl);
  const got = await checkDownload(page, `agreement-download-${lang}`, page.getByRole("button", { name: L.download }).first());
  const post = await redirect;
  const location = post.headers()["location"] || "";
  let pdf = null;
  if (post.status() !== 303 || !location.startsWith("/portal/agreements/download/")) {
    fail("download", `agreement-download-${lang}: the button answered ${post.status()} → "${location}", expected 303 → /portal/agreements/download/…`);
  } else {
    pdf = await checkPdfResponse(page, `agreement-download-${lang}`, origin + location);
  }

  // The signing link again: it concluded its agreement and concludes no other.
  r = await navigate(page, () => page.goto(signUrl));
  if ((await heading()) !== L.used) fail("flow", `sign-used-${lang}: "${await heading()}"`);
  if (await page.$("main form")) fail("sign", `sign-used-${lang}: the used link still shows a form`);
  await checkPage(page, `sign-used-${lang}`, r, { lang });
  if (errors) {
    const denied = `${origin}/portal/${lang}/agreements/v1.bogus.token.value`;
    page.expectedStatus.set(denied, 403);
    r = await navigate(page, () => page.goto(denied));
    if ((await heading()) !== L.denied) fail("flow", `agreements-denied-${lang}: "${await heading()}"`);
    await checkPage(page, `agreements-denied-${lang}`, r, { status: 403, lang });
  }
  await page.close();
  agreementsDone.push(`${lang.toUpperCase()} ${L.doc}: ${mails.length}/2 mails with the signed PDF (${mails.join(", ")}), ` +
    `download ${pdf ? `${pdf.type}, ${Math.round(pdf.bytes / 1024)} KiB, %PDF-` : "missing"}`);
  return `${lang.toUpperCase()} ${L.doc} (concluded): document page → e-mail form${errors ? " → errors" : ""} → sent → confirm → ` +
    `signing form${errors ? " → errors" : ""} → concluded → mails → your agreements → ${got ?? "no PDF"} → used link`;
}


// ---------------------------------------------------------------- the admin console
/** RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30 s) of a base32 secret, as an authenticator app shows it. */
function totp(base32, at = Date.now() / 1000) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of base32.replace(/[\s=]/g, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const h = createHmac("sha1", key).update(counter).digest();
  const o = h[19] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

/** The next unseen mail to `to` with a console sign-in link: its local URL. */
async function mailedConsoleLink(to) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const names = existsSync(outbox) ? readdirSync(outbox).filter((n) => n.endsWith(".eml")) : [];
    for (const name of names) {
      if (seenMails.has(name)) continue;
      const text = readFileSync(join(outbox, name), "utf8");
      if (!new RegExp(`^To: .*${to.replace(/[.]/g, "\\.")}`, "mi").test(text)) continue;
      const m = text.match(/https:\/\/trust\.example\.com(\/admin\/[a-z]+\/link\/[A-Za-z0-9._~-]+)/);
      if (!m) continue;
      seenMails.add(name);
      return origin + m[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no console sign-in mail to ${to} in ${outbox}`);
}

/** A request that waits for review: the form filled in and the address confirmed. */
async function pendingRequest(context, email) {
  const page = await newTab(context);
  await navigate(page, () => page.goto(origin + "/portal/en/request/pentest-summary"));
  await page.getByRole("textbox", { name: /^Full name/ }).fill("Kim Review");
  await page.getByRole("textbox", { name: /^Work e-mail/ }).fill(email);
  await page.getByRole("textbox", { name: /^Company/ }).fill("Review & Co");
  await page.getByRole("textbox", { name: /^Reason for the request/ }).fill("Supplier audit <b>2027</b>");
  await navigate(page, () => page.getByRole("button", { name: "Send request" }).click());
  await navigate(page, async () => page.goto(await mailedLink(email, "/confirm/")));
  await navigate(page, () => page.getByRole("button", { name: "Confirm my address" }).click());
  await page.close();
}

/** Like `navigate`, for a form whose POST answers 303: the response of the page it leads to. */
async function follow(page, action) {
  const response = page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() &&
    (r.status() < 300 || r.status() >= 400));
  await action();
  const r = await response;
  await page.waitForLoadState("load");
  return r;
}

async function consoleFlow(context) {
  const owner = "privacy@example.com";
  const requester = "kim@review.example";
  await pendingRequest(context, requester);
  const page = await newTab(context);
  let r = await navigate(page, () => page.goto(origin + "/admin/en/sign-in"));
  await checkPage(page, "console-sign-in-en", r, { lang: "en" });
  if (await checkTabOrder(page, "console-sign-in-en", ["email", "submit"])) keyboardForms++;
  await page.getByRole("textbox", { name: "Work e-mail" }).fill(owner);
  r = await navigate(page, () => page.getByRole("button", { name: "Send sign-in link" }).click());
  await checkPage(page, "console-sign-in-sent-en", r, { lang: "en" });
  r = await navigate(page, async () => page.goto(await mailedConsoleLink(owner)));
  await checkPage(page, "console-link-en", r, { lang: "en" });
  r = await follow(page, () => page.getByRole("button", { name: "Continue" }).click());
  await checkPage(page, "console-enrol-en", r, { lang: "en" });
  const secret = (await page.textContent(".totp-secret")).trim();
  if (await checkTabOrder(page, "console-enrol-en", ["code", "submit"])) keyboardForms++;
  await page.getByRole("textbox", { name: "Six-digit code" }).fill(totp(secret));
  r = await follow(page, () => page.getByRole("button", { name: "Confirm" }).click());
  if (!page.url().endsWith("/admin/en/requests")) fail("flow", `after the second factor: ${page.url()}`);
  await checkPage(page, "console-requests-en", r, { lang: "en" });
  if ((await page.content()).includes("<b>2027</b>")) fail("console", "a requester's markup reached the page");

  // Approve the waiting request: the requester gets the grant mail.
  await page.getByRole("checkbox", { name: /Kim Review/ }).check();
  r = await follow(page, () => page.getByRole("button", { name: "Approve selected" }).click());
  await checkPage(page, "console-requests-done-en", r, { lang: "en" });
  const grantUrl = await mailedLink(requester, "/grant/");
  // Revoke it: the link is refused.
  r = await navigate(page, () => page.goto(origin + "/admin/en/grants"));
  await checkPage(page, "console-grants-en", r, { lang: "en" });
  await page.getByRole("checkbox", { name: /Kim Review/ }).check();
  await follow(page, () => page.getByRole("button", { name: "Revoke selected" }).click());
  page.expectedStatus.set(grantUrl, 403);
  r = await navigate(page, () => page.goto(grantUrl));
  const refused = r.status() === 403;
  if (!refused) fail("console", `a revoked grant's link answered ${r.status()}`);

  // Every console page in both languages.
  for (const lang of ["en", "de"]) {
    for (const section of ["requests", "grants", "downloads", "agreements", "objections", "rules", "audit", "settings"]) {
      if (lang === "en" && (section === "requests" || section === "grants")) continue;
      r = await navigate(page, () => page.goto(`${origin}/admin/${lang}/${section}`));
      await checkPage(page, `console-${section}-${lang}`, r, { lang });
    }
  }
  r = await navigate(page, () => page.goto(`${origin}/admin/de/requests?state=all`));
  await checkPage(page, "console-requests-all-de", r, { lang: "de" });
  await navigate(page, () => page.goto(`${origin}/admin/de/audit`));
  r = await navigate(page, () => page.getByRole("button", { name: "Protokoll jetzt prüfen" }).click());
  await checkPage(page, "console-audit-verified-de", r, { lang: "de" });
  await page.close();
  return `console: sign-in link → TOTP enrolment → requests → approved (grant mail) → revoked (link ${refused ? "refused" : "NOT refused"}) → 17 pages in EN and DE`;
}

// ---------------------------------------------------------------- subscriptions and objections
/** The subscription form and its answer, and an objection to a subprocessor change from the
 * form (empty first: the error summary), the mailed link's page, the receipt; a removal's page. */
async function objectionFlow(context, lang, change, email) {
  const page = await newTab(context);
  let r = await navigate(page, () => page.goto(`${origin}/portal/${lang}/subscribe`));
  await checkPage(page, `subscribe-${lang}`, r, { lang });
  await page.fill("#email", email);
  await page.check("#topic-subprocessors");
  await page.check("#consent");
  r = await navigate(page, () => page.locator("form.subscribe-form button[type=submit]").click());
  await checkPage(page, `subscribe-sent-${lang}`, r, { lang });
  const subscribeLink = await mailedLink(email, "/subscribe/confirm/");
  r = await navigate(page, () => page.goto(subscribeLink));
  await checkPage(page, `subscribe-confirm-${lang}`, r, { lang });
  r = await navigate(page, () => page.locator("main form button[type=submit]").click());
  await checkPage(page, `subscribe-confirmed-${lang}`, r, { lang });

  const form = `${origin}/portal/${lang}/objection/${change}`;
  r = await navigate(page, () => page.goto(form));
  await checkPage(page, `objection-${lang}`, r, { lang });
  if (await checkTabOrder(page, `objection-${lang}`, ["company", "name", "email", "reason", "submit"])) keyboardForms++;
  page.expectedStatus.set(form, 422);
  r = await navigate(page, () => page.locator("form.objection-form button[type=submit]").click());
  await checkPage(page, `objection-errors-${lang}`, r, { status: 422, lang });
  if ((await page.evaluate(() => document.activeElement?.id)) !== "form-errors") {
    fail("focus", `objection-errors-${lang}: the error summary does not take the focus`);
  }
  page.expectedStatus.delete(form);
  await page.fill("#company", lang === "de" ? "Müller & Söhne GmbH" : "Acme Ltd");
  await page.fill("#name", lang === "de" ? "Anna Müller" : "Sam Smith");
  await page.fill("#email", email);
  await page.fill("#reason", "Our data must stay in the EU.\nSecond paragraph.");
  r = await navigate(page, () => page.locator("form.objection-form button[type=submit]").click());
  await checkPage(page, `objection-sent-${lang}`, r, { lang });
  const objectionLink = await mailedLink(email, "/objection/confirm/");
  r = await navigate(page, () => page.goto(objectionLink));
  await checkPage(page, `objection-confirm-${lang}`, r, { lang });
  r = await navigate(page, () => page.locator("main form button[type=submit]").click());
  await checkPage(page, `objection-received-${lang}`, r, { lang });
  const received = await page.textContent("main h1");
  r = await navigate(page, () => page.goto(`${origin}/portal/${lang}/objection/2026-12-01-removed-example-status-ltd`));
  await checkPage(page, `objection-removal-${lang}`, r, { lang });
  await page.close();
  return `objection ${lang}: subscribed → objection form → errors → sent → confirmed ("${received}") → removal refused`;
}

// Passkeys in the console, on http://localhost:PORT (browsers allow WebAuthn there, never on an IP
// address), with Chromium's virtual authenticator (Chrome DevTools Protocol, WebAuthn domain): a
// new admin signs in with the mailed link and creates a passkey, signs out, and signs in again with
// the passkey; the enrolment choice, the passkey prompt (EN and DE) and the settings with the
// admin's factors are checked like every page.
async function passkeyFlow(context) {
  const admin = "legal@example.com";
  const local = origin.replace("127.0.0.1", "localhost");
  const page = await newTab(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  const signIn = async () => {
    await navigate(page, () => page.goto(local + "/admin/en/sign-in"));
    await page.getByRole("textbox", { name: "Work e-mail" }).fill(admin);
    await navigate(page, () => page.getByRole("button", { name: "Send sign-in link" }).click());
    const link = (await mailedConsoleLink(admin)).replace(origin, local);
    await navigate(page, () => page.goto(link));
    return follow(page, () => page.getByRole("button", { name: "Continue" }).click());
  };
  // First sign-in: the passkey is offered first (German page), the app beside it.
  await signIn();
  let r = await navigate(page, () => page.goto(local + "/admin/de/second-factor"));
  await page.waitForSelector("section.passkey:not([hidden])");
  await checkPage(page, "console-enrol-passkey-de", r, { lang: "de" });
  r = await follow(page, () => page.getByRole("button", { name: "Passkey erstellen" }).click());
  await page.waitForURL(/\/admin\/de\/requests$/, { timeout: 10000 }).catch(() => {});
  if (!r.url().endsWith("/admin/de/requests") || r.status() !== 200) fail("passkey", `after creating a passkey: ${r.url()} (${r.status()})`);
  const created = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  if (created.length !== 1) fail("passkey", `${created.length} credentials in the authenticator after enrolment`);
  r = await navigate(page, () => page.goto(local + "/admin/en/settings"));
  await checkPage(page, "console-settings-factors-en", r, { lang: "en" });
  const listed = await page.locator("#factors-caption").count();
  if (!listed) fail("passkey", "the settings do not list the admin's factors");
  // Sign out, and in again with the passkey.
  await follow(page, () => page.getByRole("button", { name: "Sign out" }).click());
  r = await signIn();
  await page.waitForSelector("section.passkey:not([hidden])");
  await checkPage(page, "console-passkey-en", r, { lang: "en" });
  r = await navigate(page, () => page.goto(local + "/admin/de/second-factor"));
  await page.waitForSelector("section.passkey:not([hidden])");
  await checkPage(page, "console-passkey-de", r, { lang: "de" });
  r = await follow(page, () => page.getByRole("button", { name: "Passkey verwenden" }).click());
  await page.waitForURL(/\/admin\/de\/requests$/, { timeout: 10000 }).catch(() => {});
  const signedIn = r.url().endsWith("/admin/de/requests") && r.status() === 200 && page.url().endsWith("/admin/de/requests");
  if (!signedIn) fail("passkey", `after using the passkey: ${r.url()} (${r.status()}), shown ${page.url()}`);
  const used = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  const count = used[0]?.signCount ?? 0;
  if (count < 2) fail("passkey", `the authenticator signed ${count} times, expected 2`);
  r = await navigate(page, () => page.goto(local + "/admin/de/settings"));
  await checkPage(page, "console-settings-factors-de", r, { lang: "de" });
  await page.close();
  return `passkeys: sign-in link → passkey created (virtual authenticator) → signed out → sign-in with the passkey → ${signedIn ? "requests" : "NOT signed in"}`;
}

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

  // ============================================================ concluding agreements online
  flows.push(await concludeFlow(context, "de", "max.mustermann@kunde.example", { errors: true }));
  flows.push(await concludeFlow(context, "en", "sam@customer.example", { errors: false }));

  // ============================================================ subscriptions and objections
  flows.push(await objectionFlow(context, "en", "2027-01-11-added-example-shield-gmbh", "pat@customer.example"));
  flows.push(await objectionFlow(context, "de", "2026-10-15-added-example-vault-storage-gmbh", "eva@kunde.example"));

  // ============================================================ the admin console
  flows.push(await consoleFlow(context));
  flows.push(await passkeyFlow(context));
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
summary.push(`portal flow: ${flows.length}/8 flows completed${flows.length ? ` (${flows.join("; ")})` : ""}`);
summary.push(`portal vnu: ${names.length} pages checked (${names.join(", ")}), ${vnuErrors} errors`);
summary.push(`portal axe-core: ${names.length} pages × light and dark = ${axeRuns} runs, ${axeViolationCount} violations (WCAG 2.2 A/AA)`);
summary.push(`portal csp: ${names.length} pages with the real headers, ${consoleErrors} console errors, ${cspViolations} CSP violations`);
summary.push(`portal layout: ${names.length} pages at 390 px, ${scrollers} scroll horizontally; ${shots} screenshots in ${shotDir}`);
summary.push(`portal keyboard: Tab reaches the fields and the submit button in order on ${keyboardForms}/14 forms; the error summary takes focus`);
summary.push(`portal agreements: ${agreementsDone.length}/2 concluded in the browser${agreementsDone.length ? ` (${agreementsDone.join("; ")})` : ""}`);
for (const line of summary) console.log(line);
if (failures.length) {
  console.error(`\n${failures.length} problem(s):`);
  for (const f of failures.slice(0, 200)) console.error(`  ${f}`);
  process.exit(1);
}
