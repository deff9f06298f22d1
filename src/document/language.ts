import type Token from 'markdown-it/lib/token.mjs';

/** The language used when neither the front matter nor the text tells: what galley always assumed. */
export const FALLBACK_LANGUAGE = 'en';
/** Characters of running text read for the guess: enough for a firm one, little enough to stay quick. */
const SAMPLE_LENGTH = 4000;
/** Below this, trigrams say little: "A good document." looks French to them. */
const MIN_SAMPLE_LENGTH = 40;
/** A runner-up scoring this close to the best (1) means the text does not tell. */
const CLOSE_RUNNER_UP = 0.85;

export interface LanguageGuess {
  /** A BCP 47 tag, such as `ko` or `zh`. */
  lang: string;
  /** Said to the user: what the text looks like, or that it could not tell. */
  message: string;
}

/**
 * Guesses the language of a document without `lang` from its running text (code left out), with
 * franc's trigram model, and turns franc's ISO 639-3 code into the BCP 47 tag (kor → ko, cmn → zh)
 * through Intl's canonicalization.
 */
export async function guessLanguage(tokens: Token[]): Promise<LanguageGuess> {
  const sample = runningText(tokens).slice(0, SAMPLE_LENGTH);
  const { francAll } = await import('franc-min');
  // A script used by one language only (Hangul, kana) gives a single, certain answer even for short text.
  const [best, runnerUp] = francAll(sample, { minLength: 1 });
  const certain =
    best && best[0] !== 'und' && (runnerUp === undefined || (sample.length >= MIN_SAMPLE_LENGTH && runnerUp[1] < CLOSE_RUNNER_UP));
  const lang = certain ? canonicalTag(best[0]) : undefined;
  if (!lang)
    return {
      lang: FALLBACK_LANGUAGE,
      message: `no lang: the text is too short or too mixed to tell its language, so it is taken as English (${FALLBACK_LANGUAGE}); set lang in the front matter`,
    };
  return { lang, message: `no lang: the text looks ${languageName(lang)} (${lang}); set lang in the front matter to be sure` };
}

function canonicalTag(iso6393: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(iso6393)[0];
  } catch {
    return undefined;
  }
}

function languageName(lang: string): string {
  return new Intl.DisplayNames(['en'], { type: 'language' }).of(lang) ?? lang;
}

/** The text of paragraphs, headings, lists and tables, without code or markup. */
function runningText(tokens: Token[]): string {
  const parts: string[] = [];
  let length = 0;
  for (const token of tokens) {
    if (length > SAMPLE_LENGTH) break;
    if (token.type !== 'inline') continue;
    for (const child of token.children ?? []) {
      if (child.type !== 'text') continue;
      parts.push(child.content);
      length += child.content.length + 1;
    }
  }
  return parts.join(' ');
}
