// Stands in for the tiny-inflate package in the bundle (scripts/bundle.mjs): the same raw DEFLATE
// decoding, by Node's zlib instead of JavaScript. fontkit inflates WOFF tables with it, and
// unicode-trie (for linebreak and fontkit) its character tables when loaded.
const { inflateRawSync } = require('node:zlib');

/** tiny-inflate's contract: `dest` is filled and returned, or a copy of the part filled when shorter. */
module.exports = function inflate(source, dest) {
  const inflated = inflateRawSync(source, { maxOutputLength: Math.max(dest.length, 1) });
  dest.set(inflated);
  return inflated.length < dest.length ? dest.slice(0, inflated.length) : dest;
};
