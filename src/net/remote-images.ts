import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RemoteImages } from '../document/load.js';
import { fetchGuarded, type RemoteAccess } from './guarded-fetch.js';

/**
 * Remote images, downloaded once each into a temporary folder that lives as long as the build.
 * A download that fails is forgotten, so that the next document (or the next build, in watch) tries again.
 */
export class RemoteImageCache implements RemoteImages {
  #root: Promise<string> | undefined;
  readonly #downloads = new Map<string, Promise<{ path: string; root: string }>>();

  constructor(private readonly access: RemoteAccess) {}

  download(url: string): Promise<{ path: string; root: string }> {
    const known = this.#downloads.get(url);
    if (known) return known;
    const download = this.#fetch(url);
    this.#downloads.set(url, download);
    download.catch(() => {
      if (this.#downloads.get(url) === download) this.#downloads.delete(url);
    });
    return download;
  }

  async #fetch(url: string): Promise<{ path: string; root: string }> {
    const root = await this.#folder();
    const { body } = await fetchGuarded(url, this.access);
    const file = path.join(root, createHash('sha256').update(url).digest('hex').slice(0, 32));
    await writeFile(file, body);
    return { path: file, root };
  }

  #folder(): Promise<string> {
    if (!this.#root) {
      const made = mkdtemp(path.join(os.tmpdir(), 'galley-remote-'));
      made.catch(() => {
        if (this.#root === made) this.#root = undefined;
      });
      this.#root = made;
    }
    return this.#root;
  }

  /** Removes the folder; what was downloaded into it is forgotten with it. */
  async dispose(): Promise<void> {
    const root = this.#root;
    this.#root = undefined;
    this.#downloads.clear();
    const folder = await root?.catch(() => undefined);
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}
