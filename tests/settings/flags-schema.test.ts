import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LOAD_OPTIONS } from '../../src/document/load.js';
import { isPublicAddress } from '../../src/net/guarded-fetch.js';
import { DEFAULTS } from '../../src/settings/defaults.js';
import { defaultBuildOptions, readBuildFlags, type BuildFlags } from '../../src/settings/flags-schema.js';

const MEGABYTE = 1024 * 1024;

function optionsOf(flags: BuildFlags) {
  const read = readBuildFlags(flags);
  if ('usageError' in read) throw new Error(read.usageError);
  return read.options;
}

function usageErrorOf(flags: BuildFlags): string | undefined {
  const read = readBuildFlags(flags);
  return 'usageError' in read ? read.usageError : undefined;
}

afterEach(() => vi.restoreAllMocks());

describe('readBuildFlags', () => {
  it('gives the documented defaults for no flags', () => {
    expect(readBuildFlags({})).toEqual({
      quiet: false,
      json: false,
      options: {
        paths: ['content'],
        outDir: 'output',
        formats: ['pdf', 'epub'],
        templatesDir: undefined,
        browserPath: undefined,
        browserWs: [],
        paper: undefined,
        pdfStandard: 'pdfa-3a',
        splitLevel: undefined,
        timeoutMs: 60_000,
        maxDocumentBytes: 10 * MEGABYTE,
        maxImageBytes: 50 * MEGABYTE,
        maxPageMemoryBytes: 2048 * MEGABYTE,
        allowRemote: false,
        linkBase: undefined,
        remoteAccess: { maxBytes: 50 * MEGABYTE, timeoutMs: 20_000, allowAddress: isPublicAddress },
        jobs: Math.max(1, os.availableParallelism()),
        force: false,
        replaceArchived: false,
        archive: false,
        verbose: false,
      },
    });
  });

  it('shares its limits with the document loader', () => {
    const options = defaultBuildOptions();
    expect(DEFAULT_LOAD_OPTIONS).toMatchObject({ maxDocumentBytes: options.maxDocumentBytes, maxImageBytes: options.maxImageBytes });
    expect(options.maxDocumentBytes).toBe(DEFAULTS.maxDocumentBytes);
  });

  it('turns the flags into values in galley units', () => {
    const options = optionsOf({
      paths: ['a.md', 'docs'],
      format: ' EPUB, pdf,epub',
      paper: 'Letter',
      splitLevel: '3',
      timeout: '1.5',
      maxDocumentSize: '0.5',
      maxImageSize: '2',
      maxPageMemory: '512',
      linkBase: 'https://example.org/book',
      jobs: '3',
    });
    expect(options).toMatchObject({
      paths: ['a.md', 'docs'],
      formats: ['epub', 'pdf'],
      paper: 'letter',
      splitLevel: 3,
      timeoutMs: 1500,
      maxDocumentBytes: MEGABYTE / 2,
      maxImageBytes: 2 * MEGABYTE,
      maxPageMemoryBytes: 512 * MEGABYTE,
      linkBase: 'https://example.org/book/',
      jobs: 3,
    });
    expect(options.remoteAccess).toMatchObject({ maxBytes: 2 * MEGABYTE, timeoutMs: 1500 });
    expect(optionsOf({ timeout: '90' }).remoteAccess.timeoutMs).toBe(20_000);
  });

  it('keeps --force (rebuild) and --replace-archived (replace an archived edition) apart', () => {
    expect(optionsOf({ force: true })).toMatchObject({ force: true, replaceArchived: false });
    expect(optionsOf({ replaceArchived: true })).toMatchObject({ force: false, replaceArchived: true });
  });

  it('takes one job for each CPU by default, however many there are', () => {
    vi.spyOn(os, 'availableParallelism').mockReturnValue(128);
    expect(defaultBuildOptions().jobs).toBe(128);
    expect(usageErrorOf({ jobs: '128' })).toBe('--jobs takes a whole number from 1 to 64, not "128"');
  });

  it.each([
    [{ format: 'docx' }, 'unknown format "docx" (choose from pdf, epub)'],
    [{ format: 'pdf,DOCX' }, 'unknown format "docx" (choose from pdf, epub)'],
    [{ format: ' , ' }, 'unknown format " , " (choose from pdf, epub)'],
    [{ paper: 'B5' }, 'unknown paper "B5" (choose from a4, letter, a5)'],
    [{ timeout: '0' }, '--timeout takes a positive number, not "0"'],
    [{ timeout: 'abc' }, '--timeout takes a positive number, not "abc"'],
    [{ maxDocumentSize: '-1' }, '--max-document-size takes a positive number, not "-1"'],
    [{ maxImageSize: 'Infinity' }, '--max-image-size takes a positive number, not "Infinity"'],
    [{ maxPageMemory: '' }, '--max-page-memory takes a positive number, not ""'],
    [{ splitLevel: '7' }, '--split-level takes a whole number from 1 to 6, not "7"'],
    [{ splitLevel: '2.5' }, '--split-level takes a whole number from 1 to 6, not "2.5"'],
    [{ jobs: '0' }, '--jobs takes a whole number from 1 to 64, not "0"'],
    [{ linkBase: 'ftp://example.org' }, '--link-base takes an http or https address, not "ftp://example.org"'],
    [{ linkBase: 'example.org/book' }, '--link-base takes an http or https address, not "example.org/book"'],
  ])('refuses %j', (flags, message) => {
    expect(usageErrorOf(flags)).toBe(message);
  });

  it('reports the first wrong flag, in the order galley has always checked them', () => {
    const wrong = {
      format: 'docx',
      paper: 'b5',
      timeout: '0',
      maxImageSize: '0',
      splitLevel: '9',
      maxDocumentSize: '0',
      maxPageMemory: '0',
      linkBase: 'ftp://x',
      jobs: '0',
    };
    const order = Object.keys(wrong) as (keyof typeof wrong)[];
    const seen = order.map((_, index) => usageErrorOf(Object.fromEntries(order.slice(index).map((key) => [key, wrong[key]]))));
    expect(seen.map((message) => message?.split(' ')[0])).toEqual([
      'unknown',
      'unknown',
      '--timeout',
      '--max-image-size',
      '--split-level',
      '--max-document-size',
      '--max-page-memory',
      '--link-base',
      '--jobs',
    ]);
    expect(seen[1]).toMatch(/^unknown paper/);
  });
});
