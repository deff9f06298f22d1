// Stands in for brotli/decompress.js in the bundle (scripts/bundle.mjs): fontkit decompresses a
// WOFF2 font's tables with it, and Node's zlib does that several times faster than the package's JavaScript.
const { brotliDecompressSync } = require('node:zlib');

/** brotli's contract: the decompressed bytes, in a Uint8Array of their own. */
module.exports = function decompress(buffer, outSize) {
  const decompressed = brotliDecompressSync(buffer, outSize ? { maxOutputLength: outSize } : {});
  return new Uint8Array(decompressed.buffer, decompressed.byteOffset, decompressed.byteLength);
};
