#!/usr/bin/env node
// Validate SARIF log files against the SARIF 2.1.0 JSON schema.
//
//   node validate.mjs FILE.sarif [MORE.sarif ...]
//
// Exit codes: 0 every file is valid, 1 at least one file violates the schema,
// 2 bad usage, a file that cannot be read or is not JSON, or the schema is
// missing (run `npm ci` in this folder first).
//
// The schema is NOT vendored here: it is the file shipped by the npm package
// @microsoft/jest-sarif (lib/schemas/sarif-2.1.0-rtm.5.json), pinned exactly in
// package.json / package-lock.json. It is a JSON Schema draft-04 document, so it
// is compiled with Ajv's draft-04 class plus ajv-formats (uri, uri-reference,
// date-time).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const SCHEMA_MODULE = "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";
const SCHEMA_ID =
  "https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json";

function fail(code, msg) {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
}

function loadSchema() {
  const require = createRequire(import.meta.url);
  let path;
  try {
    path = require.resolve(SCHEMA_MODULE);
  } catch {
    fail(2, `error: SARIF schema not found (${SCHEMA_MODULE}); run \`npm ci\` in ${new URL(".", import.meta.url).pathname}`);
  }
  const schema = JSON.parse(readFileSync(path, "utf8"));
  // Guard against a silently different schema if the package ever changes.
  if (schema.id !== SCHEMA_ID || !/draft-04/.test(schema.$schema ?? "")) {
    fail(2, `error: unexpected schema in ${path} (id=${schema.id}, $schema=${schema.$schema})`);
  }
  return schema;
}

async function buildValidator() {
  let Ajv04, addFormats;
  try {
    // Imported lazily so that a missing `npm ci` is reported with exit code 2.
    Ajv04 = (await import("ajv-draft-04")).default;
    addFormats = (await import("ajv-formats")).default;
  } catch (e) {
    fail(2, `error: ${e.message}\nrun \`npm ci\` in ${new URL(".", import.meta.url).pathname}`);
  }
  const ajv = new Ajv04({
    allErrors: true,
    strict: true,
    // The schema puts `required` inside anyOf branches (region, reportingDescriptorReference...),
    // which is legal JSON Schema but trips Ajv's stylistic strictRequired check.
    strictRequired: false,
    // rtm.5 has a malformed `language` pattern (stray "]") that is only a valid
    // ECMA-262 regex without the u flag; compile patterns the way ECMA-262 does.
    unicodeRegExp: false,
  });
  addFormats(ajv);
  return ajv.compile(loadSchema());
}

function describe(err) {
  const where = err.instancePath === "" ? "/" : err.instancePath;
  let extra = "";
  const p = err.params ?? {};
  if (err.keyword === "enum" && p.allowedValues) extra = ` (allowed: ${p.allowedValues.join(", ")})`;
  else if (err.keyword === "additionalProperties") extra = ` (property: ${JSON.stringify(p.additionalProperty)})`;
  return `${where} ${err.message}${extra}`;
}

async function main(argv) {
  const files = argv.slice(2);
  if (files.length === 0 || files.includes("-h") || files.includes("--help")) {
    fail(2, "usage: node validate.mjs FILE.sarif [MORE.sarif ...]");
  }
  const validate = await buildValidator();
  let status = 0;
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      process.stderr.write(`error: cannot read ${file}: ${e.message}\n`);
      status = 2;
      continue;
    }
    let data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      process.stderr.write(`error: ${file} is not valid JSON: ${e.message}\n`);
      status = 2;
      continue;
    }
    if (validate(data)) {
      console.log(`valid: ${file}`);
      continue;
    }
    const lines = [...new Set(validate.errors.map(describe))];
    console.log(`invalid: ${file} (${lines.length} schema error${lines.length === 1 ? "" : "s"})`);
    for (const line of lines) console.log(`  ${line}`);
    if (status === 0) status = 1;
  }
  process.exit(status);
}

await main(process.argv);
