import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';

const run = promisify(execFile);

export interface EpubReadBack {
  entries: string[];
  /** Every XML entry parsed; throws on any that is not well-formed. */
  xml: Map<string, unknown>;
  text: Map<string, string>;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: false, isArray: () => false });

export async function readEpub(file: string): Promise<EpubReadBack> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const entries = Object.keys(zip.files).filter((name) => !zip.files[name]!.dir);
  const xml = new Map<string, unknown>();
  const text = new Map<string, string>();
  for (const name of entries) {
    if (!/\.(xhtml|opf|ncx|xml)$/.test(name)) continue;
    const source = await zip.file(name)!.async('string');
    const valid = XMLValidator.validate(source);
    if (valid !== true) throw new Error(`${name} is not well-formed XML: ${JSON.stringify(valid.err)}`);
    text.set(name, source);
    xml.set(name, parser.parse(source));
  }
  return { entries, xml, text };
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export interface EpubcheckVerdict {
  fatals: number;
  errors: number;
  warnings: number;
  output: string;
}

/** Runs the W3C validator from Debian's epubcheck package. */
export async function epubcheck(file: string): Promise<EpubcheckVerdict> {
  const result = await run('java', ['-jar', '/usr/share/java/epubcheck.jar', file], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout: string; stderr: string }) => error,
  );
  const output = `${result.stdout}\n${result.stderr}`;
  const counts = /Messages: (\d+) fatals? \/ (\d+) errors? \/ (\d+) warnings?/.exec(output);
  if (!counts) throw new Error(`epubcheck gave no verdict:\n${output}`);
  return { fatals: Number(counts[1]), errors: Number(counts[2]), warnings: Number(counts[3]), output };
}
