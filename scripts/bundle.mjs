// Bundles src/cli.ts and its dependencies into dist/ for the galley bin, as one script run through
// V8's code cache: one file to load instead of hundreds of modules saves about 0.2 s at every start,
// and the cache saves compiling it. Type checking is tsc's job (npm run build).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { precompiledTemplatesModule } from './precompile-templates.mjs';
import { resvgGlueForWorker } from './resvg-glue.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');

/** src/render/precompiled.ts, which is empty, becomes galley's templates precompiled. */
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]src[\\/]render[\\/]precompiled\.ts$/ }, async () => ({
      contents: await precompiledTemplatesModule(path.join(root, 'templates')),
      loader: 'js',
    }));
  },
};

/**
 * Compression written in JavaScript gives way to Node's zlib (src/native-zlib/), behind the same
 * contracts: the cover's fonts are WOFF2 (brotli, fontkit) and its line breaking and shaping load
 * DEFLATE-compressed Unicode tables (tiny-inflate); jszip deflates the EPUB's entries and pdf-lib the
 * PDF's streams (pako), and jszip checksums each entry. In the worker, opening the article cover's
 * faces and tables took 16–36 ms of CPU instead of 149–173 ms (3 profiles each).
 */
const nativeZlib = {
  name: 'native-zlib',
  setup(bundle) {
    const shim = (file) => ({ path: path.join(root, 'src', 'native-zlib', file) });
    bundle.onResolve({ filter: /^tiny-inflate$/ }, () => shim('tiny-inflate.cjs'));
    bundle.onResolve({ filter: /^brotli\/decompress\.js$/ }, () => shim('brotli-decompress.cjs'));
    bundle.onResolve({ filter: /^pako$/ }, () => shim('pako.cjs'));
    bundle.onResolve({ filter: /^\.\.?\/crc32$/ }, (args) =>
      args.importer.includes(`${path.sep}jszip${path.sep}`) ? shim('jszip-crc32.cjs') : undefined,
    );
  },
};

/**
 * epub-gen-memory's downloader and EJS templates are replaced by galley's (src/epub/build-epub.ts),
 * and galley checks its own options: the packages for those steps are not bundled
 * (src/epub/not-bundled.cjs), and its argument checks are the no-op ones it gives browsers. Loading
 * them had held the main thread for about 45 ms of every EPUB build.
 */
const epubWithoutReplacedParts = {
  name: 'epub-without-replaced-parts',
  setup(bundle) {
    const notBundled = path.join(root, 'src', 'epub', 'not-bundled.cjs');
    bundle.onResolve({ filter: /^(node-fetch|abort-controller|ejs)$/ }, (args) =>
      args.importer.includes(`${path.sep}epub-gen-memory${path.sep}`) ? { path: notBundled } : undefined,
    );
    bundle.onResolve({ filter: /^\.\/predicates$/ }, (args) =>
      args.importer.includes(`${path.sep}epub-gen-memory${path.sep}`)
        ? { path: path.join(args.resolveDir, 'predicates-nop.js') }
        : undefined,
    );
  },
};

/**
 * The cover worker's bundle carries resvg's glue, changed (scripts/resvg-glue.mjs): it reads resvg's
 * pixels where resvg painted them, so resvg-pixels.ts becomes the glue's own `withPixels`, and it
 * never looks at fetch's globals.
 */
const resvgGlueForWorkerPlugin = {
  name: 'resvg-glue-for-worker',
  setup(bundle) {
    bundle.onLoad({ filter: /[\\/]@resvg[\\/]resvg-wasm[\\/]index\.m?js$/ }, async (args) => ({
      contents: await resvgGlueForWorker(args.path),
      loader: 'js',
    }));
    bundle.onLoad({ filter: /[\\/]src[\\/]cover[\\/]resvg-pixels\.ts$/ }, () => ({
      contents: "export { withPixels } from '@resvg/resvg-wasm';",
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/** What every build shares: galley and its packages for Node 20, with source maps. */
const forNode = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

/**
 * Code run through V8's code cache (src/code-cache.ts) is one CommonJS script. Its paths found from
 * the module's own URL (fonts, templates, resvg's WebAssembly, the worker) are found from the
 * script's. It is written in ASCII, comments and spaces left out: V8 then reads it as a string of
 * one byte a character, half the size.
 */
const asScript = (name) => ({
  ...forNode,
  format: 'cjs',
  minifyWhitespace: true,
  minifySyntax: true,
  define: { 'import.meta.url': name },
  banner: { js: `const ${name} = require('node:url').pathToFileURL(__filename).href;` },
  write: false,
});

/** Writes a build's files, the script's characters outside ASCII (in regular expressions) as escapes. */
async function writeScript(result) {
  for (const file of result.outputFiles) {
    const text = file.path.endsWith('.cjs')
      ? file.text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      : file.text;
    await writeFile(file.path, text);
  }
}

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
// The entries that start the bin and the cover worker, each running its script through the cache.
await build({
  ...forNode,
  entryPoints: { start: path.join(root, 'src', 'start.ts'), 'cover-worker': path.join(root, 'src', 'cover', 'worker-start.ts') },
  outdir,
  format: 'esm',
});

// galley's code. Its lazily loaded parts (the browser, the EPUB maker, pdf-lib) are in the script,
// and their modules run only when they are first needed.
await writeScript(
  await build({
    ...asScript('__galleyUrl'),
    entryPoints: [path.join(root, 'src', 'cli.ts')],
    outfile: path.join(outdir, 'galley.cjs'),
    // Loaded from node_modules as they are: they read __filename and __dirname from where they are
    // (@puppeteer/browsers through its proxy and yargs packages).
    // katex: markdown-it-texmath require()s it only when given no engine, and galley always gives it one.
    // @resvg/resvg-wasm: its WebAssembly file is found beside it, in node_modules.
    // @resvg/resvg-js: it loads the binary for this machine from node_modules.
    external: ['@puppeteer/browsers', 'katex', '@resvg/resvg-wasm', '@resvg/resvg-js'],
    plugins: [precompiledTemplates, nativeZlib, epubWithoutReplacedParts],
  }),
);

// The cover worker's code. Its cache is made here, by running it once to its warm-up: its first
// cover came 42 ms sooner (555 against 596 ms, 4 runs each).
await writeScript(
  await build({
    ...asScript('__coverWorkerUrl'),
    entryPoints: [path.join(root, 'src', 'cover', 'worker-main.ts')],
    outfile: path.join(outdir, 'cover-worker.cjs'),
    // resvg's WebAssembly file is read from node_modules (src/cover/paint.ts); its glue is bundled.
    // resvg's native build loads the binary for this machine from node_modules.
    external: ['@resvg/resvg-js'],
    plugins: [precompiledTemplates, nativeZlib, resvgGlueForWorkerPlugin],
  }),
);
execFileSync(process.execPath, [path.join(outdir, 'cover-worker.js')], {
  env: { ...process.env, GALLEY_MAKE_CODE_CACHE: '1' },
  stdio: 'inherit',
});

await makeCliCodeCache();

/**
 * galley's cache is made by building a sample article with the bin: both editions when a browser is
 * found, else the EPUB alone, which needs none. A cold build of the article then took 0.79 × the
 * time (10 pairs, on 2 cores of an Intel Xeon); a batch of 100, the same time.
 */
async function makeCliCodeCache() {
  const out = await mkdtemp(path.join(os.tmpdir(), 'galley-code-cache-'));
  const sample = path.join(root, 'scripts', 'code-cache-sample.md');
  const run = (...flags) =>
    spawnSync(process.execPath, [path.join(root, 'bin', 'galley.js'), 'build', sample, '--out', out, ...flags], {
      env: { ...process.env, GALLEY_MAKE_CLI_CODE_CACHE: '1' },
      encoding: 'utf8',
    });
  try {
    let result = run();
    if (result.status !== 0) result = run('--format', 'epub');
    if (result.status !== 0 || result.stderr.includes('warning:'))
      throw new Error(`the bundle could not build ${sample} cleanly:\n${result.stderr}`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
