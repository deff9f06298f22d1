import { describe, expect, it } from 'vitest';
import { createMarkdown } from '../../src/document/markdown.js';
import { resolveDocumentSettings, type DocumentSettingSources } from '../../src/settings/resolve.js';

const markdown = createMarkdown();
const blocksOf = (text: string) => markdown.parse(text, {});
const article = blocksOf('Lead.\n\n## One\n\nText.\n\n### Sub\n\nMore.\n');
const bookChapter = blocksOf('### Part one\n\nText.\n\n#### Detail\n\nMore.\n');

function resolve(sources: Partial<DocumentSettingSources>) {
  return resolveDocumentSettings({ flags: {}, frontMatter: {}, blocks: article, ...sources });
}

describe('resolveDocumentSettings', () => {
  it('takes the defaults when neither the front matter nor a flag says', () => {
    expect(resolve({})).toEqual({ paper: 'a4', splitLevel: 2, linkBase: undefined });
  });

  it('splits a document whose headings are all ### or lower at its highest level by default', () => {
    expect(resolve({ blocks: bookChapter }).splitLevel).toBe(3);
    expect(resolve({ blocks: blocksOf('Only text.\n') }).splitLevel).toBe(2);
  });

  it('takes the front matter over the defaults', () => {
    const frontMatter = { paper: 'a5', split_level: 1, link_base: 'https://example.org/book/' } as const;
    expect(resolve({ frontMatter, blocks: bookChapter })).toEqual({ paper: 'a5', splitLevel: 1, linkBase: 'https://example.org/book/' });
  });

  it('takes a flag over the front matter, setting by setting', () => {
    const frontMatter = { paper: 'a5', split_level: 1, link_base: 'https://example.org/book/' } as const;
    expect(resolve({ frontMatter, flags: { paper: 'letter' } })).toEqual({
      paper: 'letter',
      splitLevel: 1,
      linkBase: 'https://example.org/book/',
    });
    const flags = { paper: 'a4', splitLevel: 4, linkBase: 'https://mirror.example/' } as const;
    expect(resolve({ frontMatter, flags })).toEqual({ paper: 'a4', splitLevel: 4, linkBase: 'https://mirror.example/' });
  });

  it('lets a flag left out (undefined) fall through to the front matter', () => {
    const flags = { paper: undefined, splitLevel: undefined, linkBase: undefined };
    expect(resolve({ flags, frontMatter: { split_level: 3 } })).toEqual({ paper: 'a4', splitLevel: 3, linkBase: undefined });
  });
});
