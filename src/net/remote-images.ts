import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RemoteImages } from '../document/load.js';
import { fetchGuarded, type RemoteAccess } from './guarded-fetch.js';

/** Remote images, downloaded once each into a temporary folder that lives as long as the build. */
export class RemoteImageCache implements RemoteImages {
  #root: Promise<string> | undefined;
  readonly #downloads = new Map<string, Promise<{ path: string; root: string }>>();

  constructor(private readonly access: RemoteAccess) {}

  download(url: string): Promise<{ path: string; root: string }> {
    let download = this.#downloads.get(url);
    if (!download) {
      download = this.#fetch(url);
      this.#downloads.set(url, download);
    }
    return download;
  }

  async #fetch(url: string): Promise<{ path: string; root: string }> {
    this.#root ??= mkdtemp(path.join(os.tmpdir(), 'galley-remote-'));
    const root = await this.#root;
    const { body } = await fetchGuarded(url, this.access);
    const file = path.join(root, createHash('sha256').update(url).digest('hex').slice(0, 32));
    await writeFile(file, body);
    return { path: file, root };
  }

  async dispose(): Promise<void> {
    const root = this.#root;
    this.#root = undefined;
    if (root) await rm(await root, { recursive: true, force: true });
  }
}
