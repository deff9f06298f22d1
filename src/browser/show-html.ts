import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';

const BLANK = '<!DOCTYPE html><meta charset="utf-8"><title></title>\n';

/**
 * Puts `html` in the page and waits for its fonts and images. The document replaces the page's
 * last one without a navigation, which costs Chrome several times as much. Only a file:// document
 * may load the local files the request policy allows, so a new page first opens an empty file
 * written in `workDir` (a folder the policy allows).
 *
 * Call it after guardPage. A document opened before request interception was on loads its files
 * around it, and `setContent` keeps that document's loaders: the empty file is opened here, after
 * the policy is in place, for that reason (tests/e2e/security catches the other order).
 */
export async function showHtml(page: Page, html: string, workDir: string): Promise<void> {
  if (!page.url().startsWith('file:')) {
    const blank = path.join(workDir, 'blank.html');
    await writeFile(blank, BLANK);
    await page.goto(pathToFileURL(blank).href, { waitUntil: 'load' });
  }
  await page.setContent(html, { waitUntil: 'load' });
}
