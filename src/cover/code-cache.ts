import { readFileSync } from 'node:fs';
import vm from 'node:vm';

/**
 * A CommonJS script (`file`) compiled with V8's code cache (`file`.cache) when there is one this
 * Node accepts, wrapped as Node wraps a module. Node 20 offers code caching for scripts, not for
 * ES modules.
 */
export function compileWithCache(file: string): { script: vm.Script; cacheUsed: boolean } {
  const cachedData = readIfThere(`${file}.cache`);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  return { script, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
