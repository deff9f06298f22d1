// For the cover worker's bundle: resvg's WebAssembly glue, changed so that galley can read a painted
// image's pixels where they are, instead of through the 16 MB copy that `pixels` makes
// (src/cover/resvg-pixels.ts says why).
import { readFile } from 'node:fs/promises';

/** The one import through which resvg's `pixels` copies its view of the WebAssembly memory. */
const COPY = /(imports\.wbg\.__wbg_new_[0-9a-f]+ = function\(arg0\) \{\s*const ret = )new Uint8Array\(getObject\(arg0\)\);/g;

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
 * The glue's text (index.mjs or index.js), changed and exporting `withPixels`; a glue whose copy is
 * not found exactly once (another resvg) fails the build.
 */
export async function resvgWithLentPixels(file) {
  const glue = await readFile(file, 'utf8');
  const copies = glue.match(COPY) ?? [];
  if (copies.length !== 1) throw new Error(`${file}: expected one copy of the pixels in resvg's glue, found ${copies.length}`);
  const exported = file.endsWith('.mjs') ? 'export { withPixels };' : 'module.exports.withPixels = withPixels;';
  return `${glue.replace(COPY, '$1lendingPixels ? getObject(arg0) : new Uint8Array(getObject(arg0));')}${LEND}${exported}\n`;
}
