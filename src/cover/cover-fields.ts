import type { CoverBook } from './cover-layout.js';

/**
 * Only what the cover shows, from a book's metadata (which holds more): its cache key, and what
 * its worker is sent. A module of its own, so that the main thread need not load the layout's code.
 */
export function coverFields(book: CoverBook): CoverBook {
  const { title, standfirst, authors, date, dateText, publisher, lang, dir } = book;
  return { title, standfirst, authors, date, dateText, publisher, lang, dir };
}
