/**
 * schema.d.ts is generated from openapi/openapi.json by `npm run gen:api` (which `make openapi`
 * runs after regenerating the document). This regenerates it in memory, exactly as the CLI does,
 * and fails when the committed file no longer matches the API.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { COMMENT_HEADER, astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";

// Paths, not URLs: the jsdom test environment replaces the global URL class.
const HERE = dirname(fileURLToPath(import.meta.url));
// frontend/src/api → the repository root's openapi/ folder.
const OPENAPI_DOCUMENT = resolve(HERE, "../../../openapi/openapi.json");
const COMMITTED_SCHEMA = resolve(HERE, "schema.d.ts");

describe("generated API types", () => {
  it("match openapi/openapi.json", async () => {
    // Read here and handed over as text: the document has no external $refs to resolve.
    const document = await readFile(OPENAPI_DOCUMENT, "utf8");
    const generated = COMMENT_HEADER + astToString(await openapiTS(document, { silent: true }));
    const committed = await readFile(COMMITTED_SCHEMA, "utf8");

    // Compared as a boolean first, so a stale file fails with the instruction, not a 10,000-line diff.
    const upToDate = committed === generated;
    expect(upToDate, "src/api/schema.d.ts is stale: run make openapi (or npm run gen:api)").toBe(true);
  }, 30_000);
});
