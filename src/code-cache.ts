import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * A CommonJS script (`file`) compiled with V8's code cache (`file`.cache) when there is one this
 * Node accepts, wrapped as Node wraps a module. Node 20 offers code caching for scripts, not for
 * ES modules. V8 checks a cache against its source's length only, so a cache older than its script
 * is not used. The script cannot call `import()`: functions that V8 takes from a cache lose the
 * loader a script is given for it (Node 20 then fails with "A dynamic import callback was not
 * specified"), so what the script loads at run time it loads with require().
 */
export function compileWithCache(file: string): { script: vm.Script; cacheUsed: boolean } {
  const cachedData = freshCache(file);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(wrapped, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  return { script, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

/** Runs a script from compileWithCache as the module `file`, and gives its exports. */
export function runAsModule<Exports>(script: vm.Script, file: string): Exports {
  const loaded = { exports: {} };
  script.runInThisContext()(loaded.exports, createRequire(file), loaded, file, path.dirname(file));
  return loaded.exports as Exports;
}

/** Writes the code cache of `script` (the functions it has compiled so far) beside `file`, whole. */
export function writeCodeCache(script: vm.Script, file: string): void {
  const partial = `${file}.cache.${process.pid}`;
  writeFileSync(partial, script.createCachedData());
  renameSync(partial, `${file}.cache`);
}

function freshCache(file: string): Buffer | undefined {
  try {
    if (statSync(`${file}.cache`).mtimeMs < statSync(file).mtimeMs) return undefined;
    return readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
}
