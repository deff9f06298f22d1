import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page, Viewport } from 'puppeteer-core';
import type { Notice } from '../document/model.js';
import type { RemoteAccess } from '../net/guarded-fetch.js';
import { browserError } from './browser-errors.js';
import type { PageWatch } from './page-watch.js';
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
 * in place, shows `html`, and hands the page to `use`. Every step ends as soon as the page crashes
 * or is stopped (for its memory, or because its browser went), with a GalleyError that says so.
 * The page goes back to its pool only if all went well (else it is closed), and its work folder is
 * removed whatever happens. Refused requests are returned with the result.
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
  let watch: PageWatch | undefined;
  let usable = false;
  const step = <S>(work: Promise<S>): Promise<S> => watch?.race(work) ?? work;
  try {
    page = await pages.newPage(purpose);
    watch = pages.watchOf?.(page);
    workDir = await pageWorkDir(pages);
    await step(guardPage(page, [workDir, ...spec.allowedDirs], refused, spec.remoteAccess));
    if (spec.viewport && !sameViewport(page.viewport(), spec.viewport)) await step(page.setViewport(spec.viewport));
    await step(showHtml(page, spec.html, workDir));
    const result = await step(use(page));
    usable = true;
    return { result, refused };
  } catch (error) {
    throw watch ? await watch.explain(error) : browserError(error);
  } finally {
    if (page) await pages.release(page, usable);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}

/** A new folder for one page's files: in the run's folder when the source has one. The caller removes it. */
export function pageWorkDir(pages: PageSource): Promise<string> {
  return pages.pageDir?.() ?? mkdtemp(path.join(os.tmpdir(), 'galley-page-'));
}

function sameViewport(current: Viewport | null, wanted: Viewport): boolean {
  return (
    current?.width === wanted.width &&
    current.height === wanted.height &&
    (current.deviceScaleFactor ?? 1) === (wanted.deviceScaleFactor ?? 1)
  );
}
