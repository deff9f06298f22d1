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
  if (!page.url().startsWith('file:')) await openBlankFile(page, workDir);
  await page.setContent(html, { waitUntil: 'load' });
}

/** The address of the empty file that openBlankFile writes in `workDir`. */
export function blankFileUrl(workDir: string): string {
  return pathToFileURL(path.join(workDir, 'blank.html')).href;
}

/** Writes an empty file in `workDir` and opens it: the page is then a file:// document, which may load the local files its request policy lets through. */
export async function openBlankFile(page: Page, workDir: string): Promise<void> {
  await writeFile(path.join(workDir, 'blank.html'), BLANK);
  await page.goto(blankFileUrl(workDir), { waitUntil: 'load' });
}
