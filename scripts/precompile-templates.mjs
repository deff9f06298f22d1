// Galley's own templates, precompiled by Handlebars for the bundle: compiling them at each start
// took about 50 ms of an EPUB build. The module keeps each template's text beside its code, and
// a template whose file no longer matches that text is compiled when it is read.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';

/** The options galley compiles every template with (src/render/templates.ts). */
export const COMPILE_OPTIONS = { strict: false, preventIndent: true };

/** The source of a module exporting PRECOMPILED: each template of `dir`, by its path there, as text and code. */
export async function precompiledTemplatesModule(dir) {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  const entries = await Promise.all(
    files.map(async (file) => {
      const source = await readFile(path.join(dir, file), 'utf8');
      return `  ${JSON.stringify(file)}: { source: ${JSON.stringify(source)}, spec: ${Handlebars.precompile(source, COMPILE_OPTIONS)} },`;
    }),
  );
  return `export const PRECOMPILED = {\n${entries.join('\n')}\n};\n`;
}
