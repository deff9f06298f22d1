import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HTTPRequest, Page } from 'puppeteer-core';
import type { Notice } from '../document/model.js';
import { fetchGuarded, type RemoteAccess } from '../net/guarded-fetch.js';

/**
 * Turns JavaScript off and lets the page load only `data:` URLs and files inside `allowedDirs`
 * (symlinks resolved first). http(s) is refused unless `remoteAccess` is given (--allow-remote);
 * then galley fetches it itself, refusing local and private addresses and capping size and time.
 * Every refusal is recorded, so the build can say what it did not load.
 */
export async function guardPage(page: Page, allowedDirs: string[], refused: Notice[], remoteAccess?: RemoteAccess): Promise<void> {
  const roots = allowedDirs.map((dir) => realDir(path.resolve(dir)));
  const refuse = (request: HTTPRequest, reason: string) => {
    refused.push({ message: `refused to load ${request.url()}: ${reason}` });
    return request.abort('blockedbyclient');
  };
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:') return void request.continue();
    if (url.protocol === 'file:') {
      return void (isInside(fileURLToPath(url), roots) ? request.continue() : refuse(request, "outside the document's folder"));
    }
    if ((url.protocol === 'http:' || url.protocol === 'https:') && remoteAccess) {
      return void fetchGuarded(url.href, remoteAccess).then(
        ({ body, contentType }) => request.respond({ status: 200, body, contentType: contentType ?? 'application/octet-stream' }),
        (error: unknown) => refuse(request, error instanceof Error ? error.message : String(error)),
      );
    }
    return void refuse(request, url.protocol.startsWith('http') ? 'remote resources need --allow-remote' : 'not a file');
  });
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

function isInside(file: string, roots: string[]): boolean {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    real = path.resolve(file);
  }
  return roots.some((root) => real === root || real.startsWith(root + path.sep));
}
