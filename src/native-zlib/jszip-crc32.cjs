// Stands in for jszip's own CRC-32 (lib/crc32.js) in the bundle (scripts/bundle.mjs): Node's zlib
// computes the same checksum of each EPUB entry natively.
const zlib = require('node:zlib');

/** jszip's contract: 0 for nothing, else the CRC-32 of the bytes (a string's are its characters' low bytes) after `crc`, signed. */
module.exports = function crc32(input, crc) {
  if (input === undefined || !input.length) return 0;
  const data = typeof input === 'string' ? Buffer.from(input, 'latin1') : input instanceof Uint8Array ? input : Uint8Array.from(input);
  return zlib.crc32(data, (crc | 0) >>> 0) | 0;
};
