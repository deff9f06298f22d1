import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileWithCache } from './code-cache.js';

/**
 * The cover worker's entry in the bundle (dist/cover-worker.js). Its code (worker-main.ts) is built
 * as one CommonJS script, dist/cover-worker.cjs, and run here through V8's code cache: made by
 * scripts/bundle.mjs after a warm-up, it holds the worker's modules and the functions its first
 * cover runs, compiled. A cache this Node's V8 refuses is ignored, and the code is compiled as usual.
 */
const code = fileURLToPath(new URL('./cover-worker.cjs', import.meta.url));
const { script } = compileWithCache(code);
const loaded = { exports: {} as { warmedUp?: Promise<unknown> } };
script.runInThisContext()(loaded.exports, createRequire(code), loaded, code, path.dirname(code));

// scripts/bundle.mjs runs this file once, outside a worker, to make the cache.
if (process.env.GALLEY_MAKE_CODE_CACHE === '1')
  void loaded.exports.warmedUp?.then(() => writeFileSync(`${code}.cache`, script.createCachedData()));
