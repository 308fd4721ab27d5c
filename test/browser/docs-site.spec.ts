// Opens the built docs site (docs/api, from `pnpm docs`) in headless Chromium over http and checks what a
// reader relies on: the pages render, the search works, the graph picture loads and nothing logs an error.

import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Browser, launchChromium } from "./chromium.js";
import { type StaticServer, serveDirectory } from "./static-server.js";

const site = resolve(fileURLToPath(new URL("../../docs/api", import.meta.url)));

/** The site-relative path of the one page in `dir` whose file name matches `pattern`. */
function pageIn(dir: string, pattern: RegExp): string {
  const matches = readdirSync(join(site, dir)).filter((f) => pattern.test(f));
  if (matches.length !== 1) {
    throw new Error(`expected one page matching ${pattern} in docs/api/${dir}; found ${matches.join(", ")}`);
  }
  return `${dir}/${matches[0]}`;
}

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(site, "index.html"))) {
    throw new Error("docs/api/index.html is missing; build the site with `pnpm docs` first");
  }
  server = await serveDirectory(site);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Opens `path` in a new tab and returns the page with every console error and uncaught exception it
 * logs while the test uses it (failed loads of scripts, styles or images show up as console errors).
 */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  const response = await page.goto(server.url + path, { waitUntil: "load" });
  expect(response?.status(), `HTTP status of ${path}`).toBe(200);
  return { page, errors };
}

/** The search opens from its button, finds `query` in the index and lists it among the results. */
async function expectSearchFinds(page: Page, query: string): Promise<void> {
  const trigger = page.locator("#tsd-search-trigger");
  await expect.poll(() => trigger.isVisible()).toBe(true);
  await trigger.click();
  const input = page.locator("#tsd-search-input");
  await expect.poll(() => input.isVisible()).toBe(true);
  await input.fill(query);
  const results = page.locator("#tsd-search-results li");
  await results.first().waitFor({ timeout: 10_000 });
  expect(await results.allTextContents()).toContainEqual(expect.stringContaining(query));
}

describe("the docs site in Chromium", () => {
  test("the landing page shows the README, the packages and the guides", async () => {
    const { page, errors } = await open("index.html");
    expect(await page.locator("h1, h2").allTextContents()).toContain("tapegrad");
    const nav = page.locator(".tsd-navigation");
    await expect.poll(() => nav.getByText("Guides", { exact: true }).count()).toBeGreaterThan(0);
    await expectSearchFinds(page, "gradcheck");
    await page.close();
    expect(errors).toEqual([]);
  });

  test("the Tensor class page documents its members", async () => {
    const { page, errors } = await open(pageIn("classes", /(^|\.)Tensor\.html$/));
    expect(await page.locator("h1").first().textContent()).toMatch(/Class Tensor/);
    expect(await page.locator(".tsd-signature").count()).toBeGreaterThan(5);
    await expectSearchFinds(page, "Tensor");
    await page.close();
    expect(errors).toEqual([]);
  });

  test("the tape guide shows the recorded graph picture", async () => {
    const { page, errors } = await open(pageIn("documents", /How_the_tape_works\.html$/));
    expect(await page.locator("h1").first().textContent()).toBe("How the tape works");
    const picture = page.locator('img[src$="tape-graph.svg"]');
    expect(await picture.count()).toBe(1);
    // naturalWidth stays 0 for an image that failed to load or decode. (The root tsconfig has no DOM
    // types, so the element is described by the two fields read.)
    const loadedWidth = () =>
      picture.evaluate((img) => {
        const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number };
        return complete ? naturalWidth : 0;
      });
    await expect.poll(loadedWidth).toBeGreaterThan(0);
    await expectSearchFinds(page, "traceGraph");
    await page.close();
    expect(errors).toEqual([]);
  });
});
