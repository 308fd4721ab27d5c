import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources: the "source" export condition of each
// workspace package points at src/, so no build step is needed before `vitest`.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
