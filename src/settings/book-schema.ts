import * as v from 'valibot';
import { FrontMatterSchema } from './front-matter-schema.js';

/** A chapter in `book.yaml`: a file, or a file with a title and chapters nested under it. */
export type ChapterItem = string | { file: string; title?: string | undefined; chapters?: BookItem[] | undefined };
/** A part: a title, and its chapters. */
export type PartItem = { part: string; chapters: BookItem[] };
export type BookItem = ChapterItem | PartItem;

const fileName = v.pipe(v.string('must be the path of a Markdown file'), v.trim(), v.minLength(1, 'must not be empty'));
const title = v.pipe(v.string('must be text'), v.trim(), v.minLength(1, 'must not be empty'));

/** A strict object's own problem: a key it does not have, or not being an object at all. */
const objectMessage = (keys: string, shape: string) => (issue: v.BaseIssue<unknown>) =>
  issue.expected === 'never' ? `is not a key here: ${keys}` : `must be ${shape}`;

const ChapterSchema: v.GenericSchema<ChapterItem> = v.strictObject(
  {
    file: fileName,
    title: v.optional(title),
    chapters: v.optional(
      v.array(
        v.lazy(() => BookItemSchema),
        'must be a list',
      ),
    ),
  },
  objectMessage(
    'a chapter has file, title and chapters',
    'a file name, or a chapter with file: (and title:, chapters:), or a part with part: and chapters:',
  ),
);

const PartSchema: v.GenericSchema<PartItem> = v.strictObject(
  {
    part: title,
    chapters: v.pipe(
      v.array(
        v.lazy(() => BookItemSchema),
        'must be a list',
      ),
      v.minLength(1, 'must list chapters'),
    ),
  },
  objectMessage('a part has part and chapters', 'a part with part: and chapters:'),
);

/** Each item is read by the schema its shape calls for, so that a problem is told in that schema's words. */
const BookItemSchema: v.GenericSchema<BookItem> = v.lazy((input) => {
  if (typeof input === 'string') return fileName;
  return typeof input === 'object' && input !== null && 'part' in input ? PartSchema : ChapterSchema;
});

/** `book.yaml`: the book's metadata (the front matter's keys) and its chapters in order. */
export const BookSchema = v.object({
  ...FrontMatterSchema.entries,
  chapters: v.pipe(v.array(BookItemSchema, 'must be a list of chapters'), v.minLength(1, 'must list at least one chapter')),
  chapter_start: v.optional(v.picklist(['next', 'right'], 'must be next or right')),
});

export type BookFile = v.InferOutput<typeof BookSchema>;
export const BOOK_KEYS = Object.keys(BookSchema.entries);
