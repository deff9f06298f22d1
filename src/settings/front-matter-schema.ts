import * as v from 'valibot';
import { PAPER_SIZES } from './choices.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// C0 controls other than tab, line feed and carriage return, and DEL: not allowed in XML 1.0.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// A high surrogate with no low one after it, or a low one with no high one before (YAML's "\uD800"
// makes one): encodeURIComponent throws on them, and they are not text in UTF-8 or XML.
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const text = v.pipe(
  v.string('must be text'),
  v.transform((value) => value.replace(CONTROL_CHARACTERS, '').replace(LONE_SURROGATES, '\uFFFD').trim()),
);

const isoDate = v.pipe(
  v.string('must be a date written YYYY-MM-DD'),
  v.regex(ISO_DATE, 'must be a date written YYYY-MM-DD'),
  v.check((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'is not a real calendar date'),
);

const languageTag = v.pipe(
  v.string('must be a language tag such as en or pt-BR'),
  v.check((value) => {
    try {
      return Intl.getCanonicalLocales(value).length === 1;
    } catch {
      return false;
    }
  }, 'is not a valid BCP 47 language tag (such as en, de-CH or pt-BR)'),
);

const listOfText = v.union(
  [
    v.pipe(
      text,
      v.transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      ),
    ),
    v.array(text),
  ],
  'must be text or a list of text',
);

const paper = v.pipe(
  v.string(`must be one of ${PAPER_SIZES.join(', ')}`),
  v.transform((value) => value.trim().toLowerCase()),
  v.picklist(PAPER_SIZES, `must be one of ${PAPER_SIZES.join(', ')}`),
);

const edition = v.pipe(
  v.union([text, v.number()], 'must be a number or a label'),
  v.transform((value) => String(value)),
  v.minLength(1, 'must not be empty'),
);

const splitLevel = v.pipe(
  v.number('must be a heading level from 1 to 6'),
  v.integer('must be a heading level from 1 to 6'),
  v.minValue(1, 'must be a heading level from 1 to 6'),
  v.maxValue(6, 'must be a heading level from 1 to 6'),
);

const webAddress = v.pipe(
  text,
  v.check((value) => /^https?:\/\/[^\s/]+/i.test(value) && URL.canParse(value), 'must be an http or https address'),
  v.transform((value) => (value.endsWith('/') ? value : `${value}/`)),
);

/** Every front matter key galley reads. Anything else is reported as unknown, never passed on. */
export const FrontMatterSchema = v.object({
  title: v.optional(text),
  subtitle: v.optional(text),
  description: v.optional(text),
  author: v.optional(listOfText),
  date: v.optional(isoDate),
  lang: v.optional(languageTag),
  publisher: v.optional(text),
  keywords: v.optional(listOfText),
  paper: v.optional(paper),
  edition: v.optional(edition),
  updated: v.optional(isoDate),
  cover: v.optional(text),
  identifier: v.optional(text),
  rights: v.optional(text),
  split_level: v.optional(splitLevel),
  link_base: v.optional(webAddress),
});

export type FrontMatter = v.InferOutput<typeof FrontMatterSchema>;
export const FRONT_MATTER_KEYS = Object.keys(FrontMatterSchema.entries);
