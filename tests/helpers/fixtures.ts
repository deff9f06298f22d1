import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
/** A 1×1 PNG, for tests that need a real image file. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A grey PNG of `width` × `height` pixels: about 1 MB to send, `width × height × 4` bytes once Chrome decodes it. */
export function greyPng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => (bytes.reduce((c, byte) => crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const check = Buffer.alloc(4);
    check.writeUInt32BE(crc(typed));
    return Buffer.concat([length, typed, check]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6], 8);
  const row = Buffer.alloc(1 + width * 4, 0x7f);
  row[0] = 0;
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)), { level: 1 });
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** `count` short documents in `folder`, the first with an image beside it; `fileName` names each. */
export async function writeCorpus(folder: string, count: number, fileName = (index: number) => `doc-${index}.md`): Promise<string> {
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'dot.png'), PNG_1X1);
  for (let index = 1; index <= count; index += 1) {
    const image = index === 1 ? '\n\n![A dot](dot.png)' : '';
    const text = `---\ntitle: Document ${index}\nlang: en\n---\nText of document ${index}.${image}\n\n## Part\n\nMore.\n`;
    await writeFile(path.join(folder, fileName(index)), text);
  }
  return folder;
}
