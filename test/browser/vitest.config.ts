import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The real-browser check of the built docs site (`pnpm test:browser`). It has its own config so that
// `pnpm test` never needs Chromium: its files end in .spec.ts, which the root config does not include.
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["test/browser/**/*.spec.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    // .ci/run adds these counts to its final "N passed, N failed" line. out/ is ignored by git and biome.
    outputFile: { json: "test/browser/out/results.json" },
  },
});
