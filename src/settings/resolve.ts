import type Token from 'markdown-it/lib/token.mjs';
import type { Paper } from './choices.js';
import { naturalSplitLevel } from '../document/sections.js';
import { DEFAULTS } from './defaults.js';
import type { FrontMatter } from './front-matter-schema.js';

/** A document's settings that its front matter may give and a flag overrides. */
export interface DocumentSettings {
  /** The PDF's paper. */
  paper: Paper;
  /** EPUB chapters start at each heading of this level or above. */
  splitLevel: number;
  /** Relative links to files outside the edition become web links under this address; without it, text. */
  linkBase: string | undefined;
}

/** The flags for those settings (--paper, --split-level, --link-base): each one given wins. */
export interface DocumentSettingFlags {
  paper?: Paper | undefined;
  splitLevel?: number | undefined;
  linkBase?: string | undefined;
}

export interface DocumentSettingSources {
  flags: DocumentSettingFlags;
  frontMatter: Pick<FrontMatter, 'paper' | 'split_level' | 'link_base'>;
  /** The document's blocks, footnotes taken off: the default split level depends on their headings. */
  blocks: Token[];
}

/** A document's settings: defaults < front matter < flags. */
export function resolveDocumentSettings({ flags, frontMatter, blocks }: DocumentSettingSources): DocumentSettings {
  return {
    paper: flags.paper ?? frontMatter.paper ?? DEFAULTS.paper,
    splitLevel: flags.splitLevel ?? frontMatter.split_level ?? naturalSplitLevel(blocks),
    linkBase: flags.linkBase ?? frontMatter.link_base,
  };
}
