import { fileURLToPath } from 'node:url';
import { compileWithCache, runAsModule, writeCodeCache } from '../code-cache.js';

/**
 * The cover worker's entry in the bundle (dist/cover-worker.js). Its code (worker-main.ts) is built
 * as one CommonJS script, dist/cover-worker.cjs, and run here through V8's code cache: made by
 * scripts/bundle.mjs after a warm-up, it holds the worker's modules and the functions its first
 * cover runs, compiled. A cache this Node's V8 refuses is ignored, and the code is compiled as usual.
 */
const code = fileURLToPath(new URL('./cover-worker.cjs', import.meta.url));
const { script } = compileWithCache(code);
const loaded = runAsModule<{ warmedUp?: Promise<unknown> }>(script, code);

// scripts/bundle.mjs runs this file once, outside a worker, to make the cache.
if (process.env.GALLEY_MAKE_CODE_CACHE === '1') void loaded.warmedUp?.then(() => writeCodeCache(script, code));
