import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWith } from '../helpers/build.js';
import { flat, readPdf } from '../helpers/pdf.js';
import { recordingServer, type RecordingServer } from '../helpers/servers.js';
import { PNG_1X1 } from '../helpers/fixtures.js';

const SECRET = 'SECRET-7f3a9c-DO-NOT-LEAK';

let root: string;
let project: string;
let secretFile: string;
let server: RecordingServer;
let guarded: RecordingServer;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'galley-security-'));
  project = path.join(root, 'project');
  await mkdir(project);
  await mkdir(path.join(root, 'private'));
  secretFile = path.join(root, 'private', 'secret.txt');
  await writeFile(secretFile, `${SECRET}\n`);
  await writeFile(path.join(root, 'private', 'secret.png'), PNG_1X1);

  guarded = await recordingServer({ '/secret.png': (_request, response) => response.end(PNG_1X1) });
  server = await recordingServer({
    '/img.png': (_request, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(PNG_1X1),
    '/redirect.png': (_request, response) => response.writeHead(302, { location: `http://localhost:${guarded.port}/secret.png` }).end(),
    '/big.png': (_request, response) => response.writeHead(200).end(Buffer.concat([PNG_1X1, Buffer.alloc(3 * 1024 * 1024)])),
    '/slow.png': () => undefined, // never answers
  });
});
afterAll(async () => {
  await server.close();
  await guarded.close();
  await rm(root, { recursive: true, force: true });
});

async function everyEpubEntry(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const texts = await Promise.all(
    Object.values(zip.files)
      .filter((entry) => !entry.dir)
      .map((entry) => entry.async('binarystring')),
  );
  return texts.join('\n');
}

describe('hostile documents', () => {
  it("loads nothing from the network and nothing outside the document's folder, by default", async () => {
    const dir = path.join(project, 'network');
    const templates = path.join(dir, 'templates');
    await mkdir(templates, { recursive: true });
    await symlink(secretFile, path.join(dir, 'innocent.txt'));
    await writeFile(
      path.join(templates, 'print.css'),
      [
        `@import url("${server.url}/import.css");`,
        `@font-face { font-family: Leak; src: url("${server.url}/font.woff2"), url("file://${secretFile}"); }`,
        `body { font-family: Leak, serif; background: url("${server.url}/background.png"); }`,
        `h1::after { content: url("file://${secretFile}"); }`,
      ].join('\n'),
    );
    const doc = path.join(dir, 'article.md');
    await writeFile(
      doc,
      [
        '---',
        'title: Network and files',
        '---',
        `Text. ![remote](${server.url}/img.png)`,
        '',
        `<img src="${server.url}/raw.png" alt="raw"> <img src="innocent.txt" alt="link">`,
        '',
        `<link rel="stylesheet" href="${server.url}/link.css"><iframe src="file://${secretFile}"></iframe>`,
        '',
        `<object data="file://${secretFile}"></object><embed src="${server.url}/embed"><img src="x" onerror="fetch('${server.url}/script')">`,
        '',
        `<a href="file://${secretFile}">file link</a> and <video src="${server.url}/video.mp4"></video>`,
      ].join('\n'),
    );
    await writeFile(path.join(dir, 'x'), PNG_1X1);

    const { summary, lines } = await buildWith({ paths: [doc], outDir: path.join(dir, 'out'), templatesDir: templates });
    // innocent.txt is a symlink that leaves the folder: the document fails and writes nothing.
    expect(summary, lines.join('\n')).toMatchObject({ built: 0, failed: 1 });
    expect(lines).toContain(`${doc}:6: image "innocent.txt" is outside the document's folder`);

    await writeFile(doc, (await readFile(doc, 'utf8')).replace(' <img src="innocent.txt" alt="link">', ''));
    const second = await buildWith({ paths: [doc], outDir: path.join(dir, 'out'), templatesDir: templates });
    expect(second.summary, second.lines.join('\n')).toMatchObject({ built: 1, failed: 0 });
    expect(second.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/:4: warning: image "http:\/\/127\.0\.0\.1:\d+\/img\.png" is not loaded/),
        expect.stringMatching(/:8: warning: raw HTML: removed <link>/),
        expect.stringMatching(/:8: warning: raw HTML: removed <iframe>/),
        expect.stringMatching(/:10: warning: raw HTML: removed <object>/),
        expect.stringMatching(/:12: warning: raw HTML: removed the link href="file:/),
        expect.stringMatching(/warning: refused to load http:\/\/127\.0\.0\.1:\d+\/background\.png: remote resources need --allow-remote/),
        expect.stringMatching(/warning: refused to load file:\/\/\/.*\/private\/secret\.txt: outside the document's folder/),
      ]),
    );
    expect(server.requests).toEqual([]);

    const pdf = await readPdf(path.join(dir, 'out', 'article.pdf'));
    expect(flat(pdf.pages.join(' '))).toContain('Text.');
    expect(pdf.pages.join(' ')).not.toContain(SECRET);
    expect(await everyEpubEntry(path.join(dir, 'out', 'article.epub'))).not.toContain(SECRET);
  });

  it('runs no code from front matter, YAML tags or templates', async () => {
    const dir = path.join(project, 'code');
    await mkdir(dir, { recursive: true });
    const marker = path.join(dir, 'marker');
    const run = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`;
    await writeFile(path.join(dir, 'js.md'), `---js\n{ title: (function(){ ${run} })() }\n---\nText\n`);
    await writeFile(path.join(dir, 'javascript.md'), `---javascript\n({ title: ${run} })\n---\nText\n`);
    await writeFile(
      path.join(dir, 'tags.md'),
      `---\ntitle: ${JSON.stringify(`{{constructor.constructor("${run}")()}}`)}\ndescription: !!js/function ${JSON.stringify(`function () { ${run} }`)}\n---\nText <script>${run}</script>\n`,
    );
    const { summary, lines } = await buildWith({ paths: [dir], outDir: path.join(dir, 'out') });
    expect(summary, lines.join('\n')).toMatchObject({ built: 1, failed: 2 });
    expect(lines.filter((line) => line.includes('is not accepted: galley reads YAML front matter only'))).toHaveLength(2);
    expect(existsSync(marker)).toBe(false);
    const pdf = await readPdf(path.join(dir, 'out', 'tags.pdf'));
    expect(flat(pdf.pages[0]!)).toContain('{{constructor.constructor("require');
  });

  it('refuses devices and oversized files, and gives up on a stuck document without stopping the batch', async () => {
    const dir = path.join(project, 'limits');
    await mkdir(dir, { recursive: true });
    await symlink('/dev/zero', path.join(dir, 'zero.png'));
    await writeFile(path.join(dir, 'a-device.md'), 'Text\n\n![zero](zero.png)\n');
    await writeFile(path.join(dir, 'b-stuck.md'), `Text\n\n![slow](${server.url}/slow.png)\n`);
    await writeFile(path.join(dir, 'c-big.md'), `Text\n\n![big](${server.url}/big.png)\n`);
    await writeFile(path.join(dir, 'd-fine.md'), 'Fine.\n');
    const started = Date.now();
    const { summary, lines } = await buildWith({
      paths: [dir],
      outDir: path.join(dir, 'out'),
      // Long enough for a cold browser to print the fine document on a loaded machine.
      timeoutMs: 8_000,
      allowRemote: true,
      remoteAccess: { maxBytes: 1024 * 1024, timeoutMs: 60_000, allowAddress: (_address, port) => port === server.port },
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(summary, lines.join('\n')).toMatchObject({ built: 1, failed: 3 });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /a-device\.md:3: image "zero.png" is outside the document's folder|a-device\.md:3: image "zero.png" is not a regular file/,
        ),
        expect.stringMatching(/b-stuck\.md: timed out after 8 s \(raise the limit with --timeout\)$/),
        expect.stringMatching(/c-big\.md:3: image http:\/\/127\.0\.0\.1:\d+\/big\.png: larger than the limit of 1 MB$/),
      ]),
    );
    expect(await readdir(path.join(dir, 'out'))).toEqual(['.galley-cache', 'd-fine.epub', 'd-fine.manifest.json', 'd-fine.pdf']);
  });

  it('with --allow-remote, fetches from the allowed server but follows no redirect to a guarded address', async () => {
    const dir = path.join(project, 'remote');
    await mkdir(dir, { recursive: true });
    const good = path.join(dir, 'good.md');
    const redirected = path.join(dir, 'redirected.md');
    await writeFile(good, `Text\n\n![remote](${server.url}/img.png)\n`);
    await writeFile(redirected, `Text\n\n![remote](${server.url}/redirect.png)\n`);
    const before = server.requests.length;
    const { summary, lines } = await buildWith({
      paths: [good, redirected],
      outDir: path.join(dir, 'out'),
      allowRemote: true,
      remoteAccess: { maxBytes: 1024 * 1024, timeoutMs: 5_000, allowAddress: (_address, port) => port === server.port },
    });
    expect(summary, lines.join('\n')).toMatchObject({ built: 1, failed: 1 });
    expect(lines).toContain(
      `${redirected}:3: image http://localhost:${guarded.port}/secret.png: refused, 127.0.0.1 is a local or private address`,
    );
    expect(server.requests.slice(before).sort()).toEqual(['/img.png', '/redirect.png']);
    expect(guarded.requests).toEqual([]);
    const zip = await JSZip.loadAsync(await readFile(path.join(dir, 'out', 'good.epub')));
    const images = Object.keys(zip.files).filter((name) => name.startsWith('OEBPS/images/') && !zip.files[name]!.dir);
    expect(images.filter((name) => !name.includes('cover'))).toHaveLength(1);
  });

  // Only loopback targets here: private and link-local ranges are covered without traffic in tests/net.
  it('refuses loopback addresses even with --allow-remote, by name, by number and in raw HTML', async () => {
    const dir = path.join(project, 'ssrf');
    await mkdir(dir, { recursive: true });
    const targets = [
      `![x](http://127.0.0.1:${guarded.port}/a.png)`,
      `![x](http://localhost:${guarded.port}/b.png)`,
      `<img src="http://[::1]:${guarded.port}/c.png" alt="x">`,
      `<img src="http://127.1:${guarded.port}/d.png" alt="x">`,
    ];
    const files = await Promise.all(
      targets.map(async (target, index) => {
        const file = path.join(dir, `t${index}.md`);
        await writeFile(file, `Text\n\n${target}\n`);
        return file;
      }),
    );
    const { summary, lines } = await buildWith({ paths: files, outDir: path.join(dir, 'out'), allowRemote: true, formats: ['epub'] });
    expect(summary, lines.join('\n')).toMatchObject({ built: 0, failed: targets.length });
    expect(lines.slice(0, targets.length).sort(), lines.join('\n')).toEqual(
      targets.map((_target, index) =>
        expect.stringMatching(new RegExp(`t${index}\\.md:3: image \\S+: refused, \\S+ is a local or private address$`)),
      ),
    );
    expect(guarded.requests).toEqual([]);
  });
});
