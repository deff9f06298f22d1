import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSources } from '../src/sources.js';

let dir: string;
let content: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-sources-'));
  content = path.join(dir, 'content');
  await mkdir(path.join(content, 'more'), { recursive: true });
  await writeFile(path.join(content, 'a.md'), '# A\n');
  await writeFile(path.join(content, 'more', 'b.md'), '# B\n');
  await symlink(path.join(content, 'a.md'), path.join(dir, 'link-to-a.md'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('collectSources', () => {
  it('finds the Markdown files in a folder and below it', async () => {
    expect(await collectSources([content])).toEqual({
      files: [path.join(content, 'a.md'), path.join(content, 'more', 'b.md')],
      errors: [],
    });
  });

  it('keeps one spelling of a file named twice, the first', async () => {
    const relative = `./${path.relative(process.cwd(), path.join(content, 'a.md'))}`;
    const { files, errors } = await collectSources([content, relative, `${content}//more/../a.md`]);
    expect(errors).toEqual([]);
    expect(files).toEqual([path.join(content, 'a.md'), path.join(content, 'more', 'b.md')]);

    expect((await collectSources([relative, content])).files).toEqual([relative, path.join(content, 'more', 'b.md')]);
  });

  it('counts a symbolic link and the file it points to as one file', async () => {
    const link = path.join(dir, 'link-to-a.md');
    expect((await collectSources([link, path.join(content, 'a.md')])).files).toEqual([link]);
  });

  it('reports a path that does not exist, and still finds the others', async () => {
    const missing = path.join(dir, 'missing.md');
    const { files, errors } = await collectSources([missing, path.join(content, 'more')]);
    expect(files).toEqual([path.join(content, 'more', 'b.md')]);
    expect(errors.map(String)).toEqual([`${missing}: no such file or folder`]);
  });
});
