import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page, Viewport } from 'puppeteer-core';
import type { Notice } from '../document/model.js';
import type { RemoteAccess } from '../net/guarded-fetch.js';
import { guardPage } from './request-policy.js';
import type { PageSource } from './session.js';
import { showHtml } from './show-html.js';

export interface GuardedPageSpec {
  html: string;
  /** Folders the page may load files from (symlinks resolved); everything else is refused. */
  allowedDirs: string[];
  /** Set only with --allow-remote: how the page may fetch http(s). */
  remoteAccess?: RemoteAccess | undefined;
  /** Kept as it is when the pooled page already has it: setting it again costs a relayout. */
  viewport?: Viewport | undefined;
}

/**
 * The one door to Chrome: takes a page for `purpose`, turns JavaScript off, puts the request policy
 * in place, shows `html`, and hands the page to `use`. The page goes back to its pool and the temp
 * folder is removed whatever happens. Refused requests are returned with the result.
 */
export async function withGuardedPage<T>(
  pages: PageSource,
  purpose: string,
  spec: GuardedPageSpec,
  use: (page: Page) => Promise<T>,
): Promise<{ result: T; refused: Notice[] }> {
  const refused: Notice[] = [];
  let workDir: string | undefined;
  let page: Page | undefined;
  try {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'galley-page-'));
    page = await pages.newPage(purpose);
    await guardPage(page, [workDir, ...spec.allowedDirs], refused, spec.remoteAccess);
    if (spec.viewport && !sameViewport(page.viewport(), spec.viewport)) await page.setViewport(spec.viewport);
    await showHtml(page, spec.html, workDir);
    return { result: await use(page), refused };
  } finally {
    if (page) await pages.release(page);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}

function sameViewport(current: Viewport | null, wanted: Viewport): boolean {
  return current?.width === wanted.width && current.height === wanted.height && (current.deviceScaleFactor ?? 1) === (wanted.deviceScaleFactor ?? 1);
}
