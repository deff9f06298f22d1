import type { Notice } from '../document/model.js';
import type { FrontMatter } from '../settings/front-matter-schema.js';

/** One entry of a book's table of contents, as its plan file lists it. */
export type PlanEntry =
  | { kind: 'part'; title: string; line: number; children: PlanEntry[] }
  /** `file` is written relative to the plan's chapter folder; `title` is what the plan calls it. */
  | { kind: 'chapter'; file: string; title: string | undefined; line: number; children: PlanEntry[] };

/** What a book is made of, read from its `book.yaml` or its mdBook `SUMMARY.md` (and `book.toml`). */
export interface BookPlan {
  /** The book's folder: every file it uses is inside it. */
  root: string;
  /** The file that lists the chapters (book.yaml or SUMMARY.md). */
  planFile: string;
  /** Where chapter paths are read from: the root, or mdBook's `src/`. */
  chapterDir: string;
  /** The files the plan was read from, for the manifest and the PDF's attachments. */
  planFiles: string[];
  /** The book's metadata, with the front matter's keys. */
  metadata: FrontMatter;
  chapterStart: 'next' | 'right';
  entries: PlanEntry[];
  /** Warnings about the plan files, each with its file. */
  warnings: { file: string; notice: Notice }[];
}
