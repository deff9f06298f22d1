import { describe, expect, it } from 'vitest';
import { hyphenateHtml, hyphenatorFor } from '../../src/pdf/hyphenate.js';

const SHY = '\u00AD';
const shown = (text: string) => text.replaceAll(SHY, '|');

describe('hyphenatorFor', () => {
  it('finds patterns for a language tag, falling back to its primary language', () => {
    expect(shown(hyphenatorFor('en')!('documentary'))).toBe('doc|u|men|tary');
    expect(shown(hyphenatorFor('en-US')!('documentary'))).toBe('doc|u|men|tary');
    expect(shown(hyphenatorFor('de-AT')!('Dokumentarfilm'))).toContain('|');
    expect(shown(hyphenatorFor('pt-BR')!('documentário'))).toContain('|');
  });

  it('tells British from American English', () => {
    expect(shown(hyphenatorFor('en-GB')!('interrogation'))).toBe('in|ter|rog|a|tion');
    expect(shown(hyphenatorFor('en-US')!('interrogation'))).toBe('in|ter|ro|ga|tion');
  });

  it('has nothing for languages without patterns, or whose patterns are for another script', () => {
    for (const lang of ['ko', 'ja', 'zh', 'zh-Hant', 'tlh']) expect(hyphenatorFor(lang), lang).toBeUndefined();
  });

  it('never breaks right after an f, which Source Serif joins with the next letter', () => {
    const hyphenate = hyphenatorFor('en')!;
    expect(shown(hyphenate('officials efforts different'))).toBe('offi|cials efforts differ|ent');
  });

  it('keeps at least 2 letters before a break and 3 after it', () => {
    const hyphenate = hyphenatorFor('en')!;
    const words = hyphenate('ability reunions escapees resumption refoulement increasing policy China Pyongyang').split(' ');
    expect(words.map(shown)).toContain('abil|ity');
    for (const word of words) {
      const parts = word.split(SHY);
      if (parts.length === 1) continue;
      expect(parts[0]!.length, word).toBeGreaterThanOrEqual(2);
      expect(parts.at(-1)!.length, word).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('hyphenateHtml', () => {
  it('hyphenates text, never tags, attributes or entities', () => {
    const html = '<p title="documentary">A documentary &amp; <a href="https://example.org/documentary">international</a> cooperation</p>';
    expect(shown(hyphenateHtml(html, 'en'))).toBe(
      '<p title="documentary">A doc|u|men|tary &amp; <a href="https://example.org/documentary">in|ter|na|tional</a> cooperation</p>',
    );
  });

  it('leaves code, headings and printed URLs alone, and resumes after them', () => {
    const html = [
      '<h2 id="x">International documentary</h2>',
      '<p>See <code>documentary_international</code> and <span class="url">(example<wbr></wbr>.org<wbr></wbr>/documentary)</span> documentary</p>',
      '<pre><code>international documentary\n</code></pre>',
      '<p>documentary<br />documentary</p>',
    ].join('\n');
    const result = shown(hyphenateHtml(html, 'en'));
    expect(result).toContain('<h2 id="x">International documentary</h2>');
    expect(result).toContain('<code>documentary_international</code>');
    expect(result).toContain('(example<wbr></wbr>.org<wbr></wbr>/documentary)</span> documentary</p>');
    expect(result).toContain('<pre><code>international documentary\n</code></pre>');
    expect(result).toContain('<p>doc|u|men|tary<br />documentary</p>');
  });

  it('never breaks words under 6 letters, words in capitals, or the last word of a paragraph', () => {
    const result = shown(hyphenateHtml('<p>Border guards asked UNHCR and INTERPOL about documentary evidence of deportation</p>', 'en'));
    expect(result).toBe('<p>Bor|der guards asked UNHCR and INTERPOL about doc|u|men|tary ev|i|dence of deportation</p>');
    const items = shown(hyphenateHtml('<ul><li>international documentary<ul><li>documentary</li></ul></li></ul>', 'en'));
    expect(items).toBe('<ul><li>in|ter|na|tional documentary<ul><li>documentary</li></ul></li></ul>');
  });

  it('ties a short last word to the word before it, so that no last line is a fragment', () => {
    expect(hyphenateHtml('<p>The defectors were sent back to it.</p>', 'en')).toBe(
      '<p>The de\u00ADfec\u00ADtors were sent back to\u00A0it.</p>',
    );
    expect(hyphenateHtml('<p>They were deported <em>again</em>.</p>', 'en')).toBe('<p>They were de\u00ADported <em>again</em>.</p>');
    expect(hyphenateHtml('<p>Sent back.</p><p>Deportation.</p>', 'en')).toBe('<p>Sent\u00A0back.</p><p>Deportation.</p>');
  });

  it('returns the HTML unchanged for a language without patterns', () => {
    const html = '<p>다큐멘터리 documentary</p>';
    expect(hyphenateHtml(html, 'ko')).toBe(html);
  });
});
