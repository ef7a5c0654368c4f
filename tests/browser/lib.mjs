// What the browser checks share: Chromium as the tests launch it, and axe-core with the WCAG tags
// every page is held to.
import { readFileSync } from "node:fs";
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
