import type { Metadata } from '../document/model.js';

/** The values both editions' templates see for the title block and the page head. */
export function titleBlockContext(metadata: Metadata) {
  return {
    title: metadata.title,
    standfirst: metadata.subtitle ?? metadata.description,
    description: metadata.description,
    authors: metadata.authors,
    date: metadata.date,
    dateText: metadata.date ? formatDate(metadata.date, metadata.lang) : undefined,
    lang: metadata.lang,
    edition: metadata.edition,
    /** `edition: 2` reads "Edition 2"; a label such as "Second edition" is shown as written. */
    editionText: metadata.edition && /^\d+$/.test(metadata.edition) ? `Edition ${metadata.edition}` : metadata.edition,
    updated: metadata.updated,
    updatedText: metadata.updated ? formatDate(metadata.updated, metadata.lang) : undefined,
  };
}

function formatDate(isoDate: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}
