import { createRequire } from 'node:module';

type Hyphenator = (text: string) => string;
interface HyphenModule {
  hyphenateSync: (text: string, options?: { hyphenChar?: string; minWordLength?: number }) => string;
}

const require = createRequire(import.meta.url);

/** Elements whose text is never hyphenated: code, headings (they also become the bookmarks), URLs. */
const UNHYPHENATED_ELEMENTS = new Set(['code', 'pre', 'kbd', 'samp', 'var', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const UNHYPHENATED_CLASS = 'url';
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Languages whose `hyphen` patterns are not for the language's usual script (zh: pinyin). */
const NOT_HYPHENATED = new Set(['zh']);
/** Letters kept together at the start and end of a word (TeX's lefthyphenmin and righthyphenmin for English). */
const MIN_LEFT = 2;
const MIN_RIGHT = 3;
/** Words shorter than this are never broken. */
const MIN_WORD = 6;
/** A paragraph's last line holds at least this many letters: a shorter last word is tied to the one before. */
const MIN_LAST_LINE = 5;
const SOFT_HYPHEN = '\u00AD';
const NO_BREAK_SPACE = '\u00A0';
/** Elements whose end is the end of a paragraph: their last word is never broken. */
const BLOCK_ELEMENTS = new Set([
  'p',
  'li',
  'dd',
  'dt',
  'td',
  'th',
  'caption',
  'figcaption',
  'blockquote',
  'div',
  'ul',
  'ol',
  'dl',
  'table',
  'section',
  'aside',
  'footer',
  'header',
  'article',
  'figure',
]);

/**
 * The hyphenator for a BCP 47 tag, from the `hyphen` package's TeX patterns: `en-GB` takes
 * `hyphen/en-gb`, `pt-BR` falls back to `hyphen/pt`. Undefined when there are no patterns.
 */
export function hyphenatorFor(lang: string): Hyphenator | undefined {
  const subtags = lang.toLowerCase().split('-');
  if (NOT_HYPHENATED.has(subtags[0]!)) return undefined;
  const candidates = subtags.map((_, count) => subtags.slice(0, subtags.length - count).join('-'));
  for (const candidate of candidates) {
    if (!/^[a-z]{2,3}(-[a-z0-9]+)*$/.test(candidate)) continue;
    const patterns = loadPatterns(candidate);
    if (patterns) return (text) => keepGoodBreaks(patterns.hyphenateSync(text, { hyphenChar: SOFT_HYPHEN }));
  }
  return undefined;
}

/**
 * Drops the soft hyphens of short words and of words in capitals (acronyms such as UNHCR), those
 * that would leave too few letters at either end of a word, and those right after an f: Source
 * Serif sets f and the next letter as one glyph (fi, ff, ft…), and Chrome writes no text for such a
 * ligature with a soft hyphen inside it.
 */
function keepGoodBreaks(text: string): string {
  return text.replace(/[\p{L}\p{M}\u00AD]+/gu, (word) => {
    const letters = [...word.replaceAll(SOFT_HYPHEN, '')];
    const plain = letters.join('');
    if (letters.length < MIN_WORD || (plain === plain.toUpperCase() && plain !== plain.toLowerCase())) return plain;
    let kept = '';
    let count = 0;
    for (const char of word) {
      if (char !== SOFT_HYPHEN) {
        kept += char;
        count += 1;
      } else if (count >= MIN_LEFT && letters.length - count >= MIN_RIGHT && letters[count - 1] !== 'f') {
        kept += char;
      }
    }
    return kept;
  });
}

function loadPatterns(name: string): HyphenModule | undefined {
  try {
    return require(`hyphen/${name}/index.js`) as HyphenModule;
  } catch {
    return undefined;
  }
}

/**
 * Inserts soft hyphens into the text of rendered HTML (headless Chrome has no hyphenation
 * dictionaries). Tags, attributes and entities are left alone, and so is the text of code,
 * headings and printed URLs. The last word of each paragraph is never broken, and a short one is
 * tied to the word before it, so that no paragraph ends on a fragment.
 */
export function hyphenateHtml(html: string, lang: string): string {
  const hyphenate = hyphenatorFor(lang);
  if (!hyphenate) return html;
  const open: boolean[] = [];
  const parts = html.split(/(<!--[\s\S]*?-->|<[^>]*>)/);
  let lastText = -1;
  const endParagraph = () => {
    if (lastText >= 0) parts[lastText] = finishParagraph(parts[lastText]!);
    lastText = -1;
  };
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      const element = trackElement(part, open);
      if (element && BLOCK_ELEMENTS.has(element)) endParagraph();
      return;
    }
    if (part === '' || open.includes(true)) return;
    parts[index] = part
      .split(/(&[#a-zA-Z0-9]+;)/)
      .map((text, at) => (at % 2 === 1 ? text : hyphenate(text)))
      .join('');
    if (/\p{L}/u.test(part)) lastText = index;
  });
  endParagraph();
  return parts.join('');
}

/** The text that ends a paragraph: its last word whole, and tied to the one before when short. */
function finishParagraph(text: string): string {
  const match = /(\S)([ \t\n]+)([^\s]+)\s*$/u.exec(text);
  const lastWord = match ? match[3]! : (text.trimEnd().split(/\s/).pop() ?? '');
  const start = text.lastIndexOf(lastWord);
  let finished = text.slice(0, start) + lastWord.replaceAll(SOFT_HYPHEN, '') + text.slice(start + lastWord.length);
  if (match && (lastWord.match(/\p{L}/gu)?.length ?? 0) < MIN_LAST_LINE) {
    const spaceAt = match.index + 1;
    finished = finished.slice(0, spaceAt) + NO_BREAK_SPACE + finished.slice(spaceAt + match[2]!.length);
  }
  return finished;
}

/** Keeps the stack of open elements, each marked true when its text must not be hyphenated; returns the element's name. */
function trackElement(tag: string, open: boolean[]): string | undefined {
  const match = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>$/.exec(tag);
  if (!match) return undefined;
  const [, closing, rawName, attributes] = match;
  const name = rawName!.toLowerCase();
  // Void elements never hold text; a stray </wbr> (as sanitize-html writes it) closes nothing.
  if (VOID_ELEMENTS.has(name) || attributes!.endsWith('/')) return name;
  if (closing) {
    open.pop();
    return name;
  }
  const classes = /\bclass="([^"]*)"/.exec(attributes!)?.[1]?.split(/\s+/) ?? [];
  open.push(UNHYPHENATED_ELEMENTS.has(name) || classes.includes(UNHYPHENATED_CLASS));
  return name;
}
