import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/load.js';
import { renderPrintHtml } from '../../src/pdf/print.js';
import { BUILTIN_TEMPLATES_DIR, loadTemplates } from '../../src/render/templates.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-templates-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const HOSTILE_TITLE = 'Tom & Jerry <b>"bold"</b> </style><script>x()</script>';

describe('templates', () => {
  it('escapes front matter values in the print page, HTML and CSS alike', async () => {
    const file = path.join(dir, 'x.md');
    await writeFile(file, `---\ntitle: '${HOSTILE_TITLE}'\nauthor: A <i>\n---\nText\n`);
    const html = renderPrintHtml(await loadDocument(file), await loadTemplates(), { paper: 'a4', version: '0.0.0' });
    expect(html).toContain(
      '<title>Tom &amp; Jerry &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &lt;/style&gt;&lt;script&gt;x()&lt;/script&gt;</title>',
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    // The running header's CSS string: quotes and angle brackets escaped, so </style> cannot close the sheet.
    expect(html).toContain(
      'content: "Tom & Jerry \\3c b\\3e \\22 bold\\22 \\3c /b\\3e  \\3c /style\\3e \\3c script\\3e x()\\3c /script\\3e ";',
    );
    expect(html.match(/<\/style>/g)).toHaveLength(2);
    expect(html).toContain('By A &lt;i&gt;');
  });

  it('takes each file from --templates when it has one, the rest from galley', async () => {
    await writeFile(path.join(dir, 'print.css'), 'body { color: rebeccapurple; }');
    const templates = await loadTemplates(dir);
    expect(templates.files.printCss).toBe(path.join(dir, 'print.css'));
    expect(templates.files.printHtml).toBe(path.join(BUILTIN_TEMPLATES_DIR, 'print.html'));
    expect(templates.render.printCss({})).toBe('body { color: rebeccapurple; }');
  });

  it('names the template file and line of a syntax error', async () => {
    await mkdir(path.join(dir, 'epub'));
    await writeFile(path.join(dir, 'epub', 'nav.xhtml'), '<nav>\n{{#each chapters}}\n<li>{{title}}</li>\n');
    await expect(loadTemplates(dir)).rejects.toThrow(/template error/);
    const error = await loadTemplates(dir).catch((caught: Error) => caught);
    expect(String(error)).toMatch(new RegExp(`^${path.join(dir, 'epub', 'nav.xhtml')}:\\d+: template error: `));
  });

  it('refuses a --templates folder that does not exist', async () => {
    await expect(loadTemplates(path.join(dir, 'missing'))).rejects.toThrow(/--templates .*missing: no such folder/);
  });
});
