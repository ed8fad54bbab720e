import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';

/** Debian's chromium, headless, with nothing fetched from the internet (as the browser tests run it). */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const RUNS = 5;

export interface WebAppTimings {
  /** Seconds from the sign-in click until the spaces list is shown and its links can be used, per run. */
  firstScreen: number[];
  /** Seconds from opening an entry's address until its first field editor takes input, per run. */
  entryEditor: number[];
}

/**
 * Issue 26's quality bar, "the first screen after sign-in interactive within 2 s on localhost": each run
 * is a new browser context (an empty cache, as a first visit), signs in with a token and waits for the
 * spaces list, then opens an entry in the editor and waits for its first field.
 */
export async function measureWebApp(host: string, token: string, spaceId: string, entryId: string): Promise<WebAppTimings> {
  if (!fs.existsSync(path.resolve('dist/app/index.html'))) throw new Error('dist/app is missing: run `npm run build` first');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const timings: WebAppTimings = { firstScreen: [], entryEditor: [] };
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ baseURL: host, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto('/app/sign-in');
      await page.locator('input[name=token]').fill(token);
      const signIn = performance.now();
      await page.getByRole('button', { name: 'Sign in with token' }).click();
      await page.getByRole('heading', { name: 'Spaces', level: 1 }).waitFor();
      await page.locator(`a[href*="/spaces/${spaceId}/"]`).first().waitFor();
      timings.firstScreen.push((performance.now() - signIn) / 1000);

      const open = performance.now();
      await page.goto(`/app/spaces/${spaceId}/environments/master/content/${entryId}`);
      await page.locator('.entry-field input:not([disabled]), .entry-field textarea:not([disabled])').first().waitFor();
      timings.entryEditor.push((performance.now() - open) / 1000);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return timings;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
