import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../src/shard.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let content: string;
/** The articles written, and the book. */
let documents = 1;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-shards-'));
  content = path.join(dir, 'content');
  // Notes until each of the three shards holds two: which shard a path falls in depends on the folder's random name.
  const perShard = [0, 0, 0];
  for (let index = 0; perShard.some((count) => count < 2); index += 1) {
    const file = path.join(content, index % 2 ? 'notes' : '', `note-${index + 1}.md`);
    perShard[shardOf(file, 3) - 1]! += 1;
    const text = `---\ntitle: Note ${index + 1}\nlang: en\ndate: 2025-01-${String((index % 28) + 1).padStart(2, '0')}\n---\n\nA short note on the rivers, for the archive.\n\n## Why it matters\n\nBecause rivers hold water.\n`;
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    documents += 1;
  }
  await mkdir(path.join(content, 'field-book'), { recursive: true });
  await writeFile(path.join(content, 'field-book', 'book.yaml'), 'title: Field book\nlang: en\nchapters:\n  - one.md\n  - two.md\n');
  await writeFile(path.join(content, 'field-book', 'one.md'), '# One\n\nThe first chapter of the field book.\n');
  await writeFile(path.join(content, 'field-book', 'two.md'), '# Two\n\nThe second chapter of the field book.\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every file under `folder`, by its path inside it. */
async function filesIn(folder: string): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    found.set(path.relative(folder, full), await readFile(full));
  }
  return found;
}

describe('--shard i/n', () => {
  it('splits the documents into disjoint parts whose union is the whole build, byte for byte, a book in one part', async () => {
    const whole = await runCli('build', content, '--out', path.join(dir, 'whole'), '--jobs', '2');
    expect(whole.code, whole.lines.join('\n')).toBe(0);
    // The shards are built at once, as n machines would build them.
    const shards = await Promise.all(
      [1, 2, 3].map(async (index) => {
        const run = await runCli('build', content, '--out', path.join(dir, `shard-${index}`), '--shard', `${index}/3`, '--jobs', '2');
        expect(run.code, run.lines.join('\n')).toBe(0);
        return filesIn(path.join(dir, `shard-${index}`));
      }),
    );
    const expected = await filesIn(path.join(dir, 'whole'));
    // PDF, EPUB and manifest, and the drawn cover in the cache, which merges as the outputs do.
    expect(expected.size).toBe(documents * 4);
    expect([...expected.keys()].filter((name) => name.startsWith(path.join('.galley-cache', 'covers')))).toHaveLength(documents);
    const union = new Map<string, Buffer>();
    for (const shard of shards) {
      expect(shard.size).toBeGreaterThan(0);
      for (const [name, bytes] of shard) {
        expect(union.has(name), `${name} is in two shards`).toBe(false);
        union.set(name, bytes);
      }
    }
    expect([...union.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, bytes] of expected) expect(union.get(name)!.equals(bytes), name).toBe(true);
    const withBook = shards.filter((shard) => [...shard.keys()].some((name) => name.startsWith('field-book.')));
    expect(withBook).toHaveLength(1);
    expect([...withBook[0]!.keys()].filter((name) => name.startsWith('field-book.')).sort()).toEqual([
      'field-book.epub',
      'field-book.manifest.json',
      'field-book.pdf',
    ]);

    const verified = await runCli('verify', ...[1, 2, 3].map((index) => path.join(dir, `shard-${index}`)));
    expect(verified.code).toBe(0);
    expect(verified.lines.at(-1)).toBe(`${documents * 2} of ${documents * 2} files match their manifests`);
  });

  it('refuses a shard outside 1/1…n/n as a usage error', async () => {
    for (const shard of ['0/3', '4/3', '1/0', '2', 'a/b', '-1/2']) {
      const run = await runCli('build', content, '--out', path.join(dir, 'never'), '--shard', shard);
      expect(run.code, shard).toBe(2);
      expect(run.lines[0]).toBe(`error: --shard takes i/n, the i-th of n parts with 1 ≤ i ≤ n (such as 2/3), not "${shard}"`);
    }
  });
});
