import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HTTPRequest, Page } from 'puppeteer-core';
import type { Notice } from '../document/model.js';

/**
 * Turns JavaScript off and lets the page load only `data:` URLs and files inside `allowedDirs`.
 * Every refused request is recorded, so the build can say what it did not load.
 */
export async function guardPage(page: Page, allowedDirs: string[], refused: Notice[]): Promise<void> {
  const allowedPrefixes = allowedDirs.map((dir) => pathToFileURL(path.resolve(dir) + path.sep).href);
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    const url = request.url();
    if (url.startsWith('data:') || allowedPrefixes.some((prefix) => url.startsWith(prefix))) return void request.continue();
    refused.push({ message: `refused to load ${url}` });
    return void request.abort('blockedbyclient');
  });
}
