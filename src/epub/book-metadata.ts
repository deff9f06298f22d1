import { editionDate } from '../document/dates.js';
import { coverFields } from '../cover/cover-fields.js';
import type { CoverBook } from '../cover/cover-layout.js';
import type { DocumentModel, Metadata } from '../document/model.js';
import { titleBlockContext } from '../render/context.js';
import { bookIdentifier } from './identifier.js';
import { xmlText } from './xml-text.js';

export interface Creator {
  id: string;
  name: string;
  /** The name as sorted in a catalogue: "Family, Given". */
  fileAs: string;
}

/** Languages whose personal names are written family name first. */
const FAMILY_NAME_FIRST = new Set(['zh', 'ja', 'ko', 'hu', 'vi', 'mn']);
const NAME_SUFFIX = /,?\s+(jr\.?|sr\.?|ii|iii|iv|phd|md)$/i;

/** "Ludwig van Beethoven" files as "Beethoven, Ludwig van"; a name with a comma is taken as filed already. */
export function fileAs(name: string, lang: string): string {
  if (FAMILY_NAME_FIRST.has(primaryLanguage(lang))) return name;
  const suffix = NAME_SUFFIX.exec(name);
  const base = suffix ? name.slice(0, suffix.index) : name;
  const words = base.split(/\s+/).filter(Boolean);
  if (base.includes(',') || words.length < 2) return name;
  const family = words.pop()!;
  return `${family}, ${words.join(' ')}${suffix ? `, ${suffix[1]}` : ''}`;
}

function primaryLanguage(lang: string): string {
  return lang.split('-')[0]!.toLowerCase();
}

/** `rtl` for languages written right to left (Arabic, Hebrew, Persian, Urdu, …). */
export function textDirection(lang: string): 'ltr' | 'rtl' {
  // Node 20 has the `textInfo` getter, later versions `getTextInfo()`; TypeScript's ES2023 lib has neither.
  const locale = new Intl.Locale(lang) as Intl.Locale & { textInfo?: { direction?: string }; getTextInfo?: () => { direction?: string } };
  const info = locale.getTextInfo?.() ?? locale.textInfo;
  return info?.direction === 'rtl' ? 'rtl' : 'ltr';
}

/** What a generated cover shows: from the metadata alone, so that it can be asked for before the document is parsed. */
export function coverBook(metadata: Metadata, name: string): CoverBook {
  return shownOnCover(titleBlockContext(metadata), metadata, name);
}

function shownOnCover(titleBlock: ReturnType<typeof titleBlockContext>, metadata: Metadata, name: string): CoverBook {
  return coverFields({
    ...titleBlock,
    title: xmlText(titleBlock.title) || name,
    authors: metadata.authors.map(xmlText),
    publisher: metadata.publisher,
    dir: textDirection(metadata.lang),
  });
}

/** The values every EPUB template sees: the title block, the package metadata, the language. */
export function bookMetadata(doc: DocumentModel) {
  const metadata = doc.metadata;
  const titleBlock = titleBlockContext(metadata);
  const shown = shownOnCover(titleBlock, metadata, doc.name);
  return {
    ...titleBlock,
    ...shown,
    creators: shown.authors.map((name, index): Creator => ({ id: `creator-${index + 1}`, name, fileAs: fileAs(name, metadata.lang) })),
    identifier: metadata.identifier ?? bookIdentifier(doc),
    keywords: metadata.keywords,
    rights: metadata.rights,
    modified: editionDate(doc)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
  };
}

export type BookMetadata = ReturnType<typeof bookMetadata>;
