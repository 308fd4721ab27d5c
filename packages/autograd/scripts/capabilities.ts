// Writes docs/guides/op-capabilities.md, the op capability table, from the op table's claims
// (test/capabilities.ts). capabilities.test.ts fails while the committed page differs from this output.
// Run from the repository root: npx tsx --conditions=source packages/autograd/scripts/capabilities.ts

import { writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderCapabilityPage } from "../test/capabilities.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const page = join(root, "docs", "guides", "op-capabilities.md");
writeFileSync(page, renderCapabilityPage());
console.log(`capabilities: wrote ${relative(root, page)}`);
