import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { precompiledTemplatesModule } from '../../scripts/precompile-templates.mjs';
import { loadDocument } from '../../src/document/load.js';
import { renderPrintHtml } from '../../src/pdf/print.js';
import { PRECOMPILED } from '../../src/render/precompiled.js';
import { BUILTIN_TEMPLATES_DIR, loadTemplates } from '../../src/render/templates.js';

const ARTICLE = path.resolve('content', 'beyond-utopia.md');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-precompiled-'));
});
afterEach(async () => {
  for (const key of Object.keys(PRECOMPILED)) delete PRECOMPILED[key];
  await rm(dir, { recursive: true, force: true });
});

/** PRECOMPILED as the bundle has it: the module scripts/bundle.mjs puts in its place. */
async function fillPrecompiled(): Promise<void> {
  const file = path.join(dir, 'precompiled.mjs');
  await writeFile(file, await precompiledTemplatesModule(BUILTIN_TEMPLATES_DIR));
  const generated = (await import(pathToFileURL(file).href)) as { PRECOMPILED: typeof PRECOMPILED };
  Object.assign(PRECOMPILED, generated.PRECOMPILED);
}

describe("the bundle's precompiled templates", () => {
  it('render what the templates compiled from their files render, and are used in their place', async () => {
    const doc = await loadDocument(ARTICLE);
    const options = { paper: 'a4', version: '0.0.0' } as const;
    const compiled = await loadTemplates();
    await fillPrecompiled();
    expect(Object.keys(PRECOMPILED)).toEqual(expect.arrayContaining(['print.html', 'cover.svg', 'epub/chapter.xhtml', 'epub/package.opf']));
    const precompiled = await loadTemplates();
    expect(renderPrintHtml(doc, precompiled, options)).toBe(renderPrintHtml(doc, compiled, options));
    for (const name of ['package', 'nav', 'ncx', 'chapter'] as const) {
      const context = { book: { title: 'T & <b>', lang: 'en', authors: ['A'] }, chapters: [], page: { title: 'P' } };
      expect(precompiled.render[name](context)).toBe(compiled.render[name](context));
    }

    // Used in their place: a spec that renders otherwise shows through.
    PRECOMPILED['epub/toc.ncx']!.spec = PRECOMPILED['epub/style.css']!.spec;
    expect((await loadTemplates()).render.ncx({})).toBe(compiled.render.epubCss({}));
  });

  it('give way to the file when its text is not the one they were compiled from', async () => {
    await fillPrecompiled();
    PRECOMPILED['epub/toc.ncx']!.source = 'an older text';
    PRECOMPILED['epub/toc.ncx']!.spec = PRECOMPILED['epub/style.css']!.spec;
    const templates = await loadTemplates();
    expect(templates.render.ncx({})).not.toBe(templates.render.epubCss({}));
    expect(templates.render.ncx({})).toContain('<ncx');
  });
});
