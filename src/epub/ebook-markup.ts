import type MarkdownIt from 'markdown-it';
import type { RenderRule } from 'markdown-it/lib/renderer.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { useFigures } from '../document/figures.js';
import { createMarkdown } from '../document/markdown.js';
import type { DocumentModel, Section } from '../document/model.js';
import { renderEbookSection } from '../document/render.js';
import { isBlankHeading } from './chapters.js';
import { xmlText } from './xml-text.js';

/** One reference to a note: markdown-it-footnote's note id and the reference's sub-id. */
interface NoteRef {
  id: number;
  subId: number;
}

export const noteId = (id: number): string => `fn${id + 1}`;
export const noteRefId = ({ id, subId }: NoteRef): string => (subId > 0 ? `fnref${id + 1}-${subId + 1}` : `fnref${id + 1}`);
const refKey = ({ id, subId }: NoteRef): string => `${id}:${subId}`;

function noteRef(token: Token): NoteRef {
  return { id: token.meta.id as number, subId: (token.meta.subId as number | undefined) ?? 0 };
}

function noteRefsIn(tokens: Token[]): NoteRef[] {
  return tokens.flatMap((token) => (token.children ?? []).filter((child) => child.type === 'footnote_ref').map(noteRef));
}

/**
 * The notes a chapter holds: those its text refers to, then those the notes refer to in turn, so
 * that every note reference in the chapter has its note in the same file.
 */
export function chapterNotes(doc: DocumentModel, section: Section): number[] {
  const notes = [...section.footnoteIds];
  for (let next = 0; next < notes.length; next += 1) {
    for (const { id } of noteRefsIn(doc.footnotes.get(notes[next]!) ?? [])) if (!notes.includes(id)) notes.push(id);
  }
  return notes;
}

/** What a chapter's rendering is given: the note references it holds, which its notes link back to. */
interface ChapterEnv {
  refsInChapter: Set<string>;
}

/**
 * The e-book's markdown-it, made once (making one costs about 11 ms, mostly linkify's patterns):
 * references become EPUB 3 pop-up note links, notes become `<aside>`s linking back to each
 * reference the chapter holds (from its ChapterEnv), empty header cells are plain cells, and blank
 * headings are left out.
 */
function createEbookMarkdown(): MarkdownIt {
  const md = createMarkdown();
  useFigures(md);
  const rules = md.renderer.rules;

  rules.footnote_ref = (tokens, index) => {
    const ref = noteRef(tokens[index]!);
    return `<sup class="noteref"><a epub:type="noteref" role="doc-noteref" id="${noteRefId(ref)}" href="#${noteId(ref.id)}">${ref.id + 1}</a></sup>`;
  };
  rules.footnote_block_open = () => '<div class="footnotes">\n';
  rules.footnote_block_close = () => '</div>\n';
  rules.footnote_open = (tokens, index) =>
    `<aside epub:type="footnote" role="doc-footnote" id="${noteId(tokens[index]!.meta.id as number)}" class="footnote">\n`;
  rules.footnote_close = () => '</aside>\n';
  rules.footnote_anchor = (tokens, index, _options, env: ChapterEnv) => {
    const ref = noteRef(tokens[index]!);
    if (!env.refsInChapter.has(refKey(ref))) return '';
    return ` <a href="#${noteRefId(ref)}" role="doc-backlink" class="backlink" aria-label="Back to text">\u21a9\ufe0e</a>`;
  };

  const paragraphOpen: RenderRule =
    rules.paragraph_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  rules.paragraph_open = (tokens, index, options, env, self) => {
    const html = paragraphOpen(tokens, index, options, env, self);
    const before = tokens[index - 1];
    return before?.type === 'footnote_open' ? `${html}<span class="note-number">${(before.meta.id as number) + 1}.</span> ` : html;
  };

  rules.heading_open = (tokens, index, options, _env, self) =>
    isBlankHeading(tokens[index + 1]) ? '' : self.renderToken(tokens, index, options);
  rules.heading_close = (tokens, index, options, _env, self) =>
    isBlankHeading(tokens[index - 1]) ? '' : self.renderToken(tokens, index, options);

  const isEmptyCell = (token: Token | undefined): boolean => token?.type === 'inline' && token.content.trim() === '';
  rules.th_open = (tokens, index, options, _env, self) => {
    const html = self.renderToken(tokens, index, options);
    return isEmptyCell(tokens[index + 1]) ? html.replace(/^<th\b/, '<td') : html;
  };
  rules.th_close = (tokens, index, options, _env, self) =>
    isEmptyCell(tokens[index - 1]) ? '</td>' : self.renderToken(tokens, index, options);
  return md;
}

let ebookMarkdown: MarkdownIt | undefined;

/**
 * Each section's chapter body, with its notes, as XHTML-ready markup. A chapter holds its own copy
 * of every note it refers to, so its note links stay inside the chapter.
 */
export function renderChapterBodies(doc: DocumentModel, sections: Section[], sectionHref: (index: number) => string): string[] {
  return sections.map((section, index) => {
    const notes = chapterNotes(doc, section);
    const refs = noteRefsIn([...section.tokens, ...notes.flatMap((id) => doc.footnotes.get(id) ?? [])]);
    const local = new Set([...notes.map(noteId), ...refs.map(noteRefId)]);
    const view = sections.map((other, otherIndex) =>
      otherIndex === index
        ? { ...other, footnoteIds: notes, anchorIds: new Set([...other.anchorIds, ...local]) }
        : { ...other, anchorIds: new Set([...other.anchorIds].filter((id) => !local.has(id))) },
    );
    ebookMarkdown ??= createEbookMarkdown();
    const env: ChapterEnv = { refsInChapter: new Set(refs.map(refKey)) };
    return xmlText(renderEbookSection(doc, view, index, sectionHref, ebookMarkdown, env));
  });
}
