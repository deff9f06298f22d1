// For the cover worker's bundle: resvg's WebAssembly glue, changed in two ways.
// - galley can read a painted image's pixels where they are, instead of through the 16 MB copy that
//   `pixels` makes (src/cover/resvg-pixels.ts says why).
// - Its checks for fetch's Request and Response are taken out: galley gives resvg its WebAssembly as
//   bytes (src/cover/paint.ts), and the first look at either global loads Node's fetch (undici),
//   25–30 ms on the way to the first cover.
import { readFile } from 'node:fs/promises';

/** The one import through which resvg's `pixels` copies its view of the WebAssembly memory. */
const COPY = /(imports\.wbg\.__wbg_new_[0-9a-f]+ = function\(arg0\) \{\s*const ret = )new Uint8Array\(getObject\(arg0\)\);/g;
/** The glue's tests for a fetch Request (to fetch) and a fetch Response (to compile as it streams). */
const FETCH_CHECKS = [
  /typeof Request === "function" && input instanceof Request/g,
  /typeof Response === "function" && module2? instanceof Response/g,
];

/** `withPixels`, as src/cover/resvg-pixels.ts has it, but lending resvg's view instead of copying it. */
const LEND = `
var lendingPixels = false;
function withPixels(image, use) {
  lendingPixels = true;
  let pixels;
  try {
    pixels = image.pixels;
  } finally {
    lendingPixels = false;
  }
  return use(pixels);
}
`;

/**
 * The glue's text (index.mjs or index.js), changed and exporting `withPixels`; a glue in which one
 * of the changed places is not found exactly once (another resvg) fails the build.
 */
export async function resvgGlueForWorker(file) {
  let glue = await readFile(file, 'utf8');
  const once = (pattern, what) => {
    const found = glue.match(pattern)?.length ?? 0;
    if (found !== 1) throw new Error(`${file}: expected one ${what} in resvg's glue, found ${found}`);
  };
  once(COPY, 'copy of the pixels');
  glue = glue.replace(COPY, '$1lendingPixels ? getObject(arg0) : new Uint8Array(getObject(arg0));');
  for (const check of FETCH_CHECKS) {
    once(check, 'check for fetch');
    glue = glue.replace(check, 'false');
  }
  const exported = file.endsWith('.mjs') ? 'export { withPixels };' : 'module.exports.withPixels = withPixels;';
  return `${glue}${LEND}${exported}\n`;
}
