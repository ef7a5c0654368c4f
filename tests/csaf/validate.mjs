// Validates every CSAF document a built site publishes with the BSI's csaf-validator-lib, an
// implementation independent of Candor's: the CSAF 2.0 strict schema, every mandatory test
// (CSAF 2.0 section 6.1) and every optional ("recommended") test (section 6.2).
//
//   node tests/csaf/validate.mjs <site output folder>
//
// Exits 1 when a document has an error or a warning, naming the document, test and path.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import validateStrict from "@secvisogram/csaf-validator-lib/validateStrict.js";
import * as mandatory from "@secvisogram/csaf-validator-lib/mandatoryTests.js";
import * as optional from "@secvisogram/csaf-validator-lib/optionalTests.js";
import { csaf_2_0_strict } from "@secvisogram/csaf-validator-lib/schemaTests.js";

const out = process.argv[2];
if (!out) {
  console.error("usage: node validate.mjs <site output folder>");
  process.exit(2);
}
const white = join(out, ".well-known", "csaf", "white");

function* documents(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* documents(path);
    else if (name.endsWith(".json")) yield path;
  }
}

const tests = [csaf_2_0_strict, ...Object.values(mandatory), ...Object.values(optional)];
let failed = 0;
let count = 0;
for (const path of documents(white)) {
  count += 1;
  const doc = JSON.parse(readFileSync(path, "utf8"));
  const result = await validateStrict(tests, doc);
  const findings = [];
  for (const test of result.tests) {
    for (const kind of ["errors", "warnings"]) {
      for (const f of test[kind]) findings.push(`${kind.slice(0, -1)} ${test.name} ${f.instancePath}: ${f.message}`);
    }
  }
  const name = relative(out, path);
  if (findings.length === 0) {
    console.log(`ok   ${name} (${tests.length} tests)`);
  } else {
    failed += 1;
    console.log(`FAIL ${name}`);
    for (const f of findings) console.log(`     ${f}`);
  }
}
if (count === 0) {
  console.error(`no CSAF documents under ${white}`);
  process.exit(1);
}
console.log(`${count} CSAF documents, ${failed} with findings`);
process.exit(failed === 0 ? 0 : 1);
