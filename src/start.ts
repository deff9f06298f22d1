import { fileURLToPath } from 'node:url';
import { compileWithCache, runAsModule, writeCodeCache } from './code-cache.js';

/**
 * The bin's entry in the bundle (dist/start.js). galley's code (cli.ts and all it loads) is built as
 * one CommonJS script, dist/galley.cjs, and run here through V8's code cache, which saves a cold
 * run the parsing and compiling of its modules. scripts/bundle.mjs makes the cache by building a
 * sample article: it then holds the functions a build runs, compiled.
 */
const code = fileURLToPath(new URL('./galley.cjs', import.meta.url));
const { script } = compileWithCache(code);
const cli = runAsModule<typeof import('./cli.js')>(script, code);

/** The CLI's main (cli.ts); with GALLEY_MAKE_CLI_CODE_CACHE=1 (scripts/bundle.mjs), it then writes the cache. */
export async function main(argv: string[]): Promise<number> {
  const exitCode = await cli.main(argv);
  if (process.env.GALLEY_MAKE_CLI_CODE_CACHE === '1') writeCodeCache(script, code);
  return exitCode;
}
