// Stands in for pako in the bundle (scripts/bundle.mjs): the same DEFLATE, by Node's zlib instead of
// JavaScript. jszip packs the EPUB's entries with it, and pdf-lib the PDF's object and content streams.
const zlib = require('node:zlib');

/** A Buffer's bytes as a plain Uint8Array, as pako returns them. */
function bytes(buffer) {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** pako's `level` (-1: zlib's default) and `raw` (no zlib header and checksum), the options its callers here give. */
function deflate(data, options = {}) {
  const level = options.level ?? zlib.constants.Z_DEFAULT_COMPRESSION;
  return bytes(options.raw ? zlib.deflateRawSync(data, { level }) : zlib.deflateSync(data, { level }));
}

function inflate(data, options = {}) {
  return bytes(options.raw ? zlib.inflateRawSync(data) : zlib.inflateSync(data));
}

/** pako's streaming classes, as jszip drives them: chunks pushed, the last with `final`, the result given to onData at once. */
class Stream {
  constructor(options) {
    this.options = options ?? {};
    this.chunks = [];
    this.onData = () => {};
  }

  push(data, final) {
    if (data.length > 0) this.chunks.push(data instanceof Uint8Array ? data : Uint8Array.from(data));
    if (final) {
      const whole = Buffer.concat(this.chunks);
      this.chunks = [];
      this.onData(this.transform(whole));
    }
    return true;
  }
}

class Deflate extends Stream {
  transform(data) {
    return deflate(data, this.options);
  }
}

class Inflate extends Stream {
  transform(data) {
    return inflate(data, this.options);
  }
}

module.exports = { deflate, inflate, Deflate, Inflate };
