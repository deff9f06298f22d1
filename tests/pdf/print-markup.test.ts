import { describe, expect, it } from 'vitest';
import { createPrintMarkdown } from '../../src/pdf/print-markup.js';

const md = createPrintMarkdown();
// Image sources stay as written here: the sanitizer points them at files (document/raw-html.ts).
const render = (source: string) => md.render(source, {});

describe('the print renderer', () => {
  it('sets an image alone in its paragraph as a figure, captioned by its title, else its alt text', () => {
    expect(render('![A map](map.svg "The route")')).toBe(
      '<figure role="group">\n<img src="map.svg" alt="A map" title="The route" />\n<figcaption>The route</figcaption>\n</figure>\n',
    );
    expect(render('![Crossings & returns, *2023*](bars.png)')).toContain(
      '<figcaption>Crossings &amp; returns, 2023</figcaption>\n</figure>',
    );
    expect(render('![](bars.png)')).toBe('<figure role="group">\n<img src="bars.png" alt="" />\n</figure>\n');
  });

  it('keeps a width given with the attribute syntax', () => {
    expect(render('![A map](map.svg){width=50%}')).toContain('<img src="map.svg" alt="A map" width="50%" />');
  });

  it('numbers lists of any length inside the text block', () => {
    const items = (count: number, start = 1) => Array.from({ length: count }, (_, index) => `${start + index}. item`).join('\n');
    expect(render(items(9))).toMatch(/^<ol>/);
    expect(render(items(12))).toMatch(/^<ol class="digits-2">/);
    expect(render(items(3, 98))).toMatch(/^<ol start="98" class="digits-3">/);
  });

  it('leaves an image inside running text inline', () => {
    expect(render('Text with ![an icon](icon.png) inside.')).toBe(
      '<p>Text with <img src="icon.png" alt="an icon" /> inside.</p>\n'.replace('<p>', '<p class="short">'),
    );
  });

  it('prints the address of an external link after it, with places to break', () => {
    expect(render('See [the report](https://www.example.org/reports/2023?id=4&page=2).')).toContain(
      '<a href="https://www.example.org/reports/2023?id=4&amp;page=2">the report</a><span class="url"> (www<wbr />.example<wbr />.org<wbr />/reports<wbr />/2023<wbr />?id<wbr />=<wbr />4<wbr />&amp;<wbr />page<wbr />=<wbr />2)</span>.',
    );
    expect(render('[old site](http://example.org/)')).toContain('<span class="url"> (http://example<wbr />.org)</span>');
    expect(render('[write to us](mailto:desk@example.org)')).toContain('<span class="url"> (desk@example<wbr />.org)</span>');
  });

  it('prints no address for links inside the document, or whose text is already the address', () => {
    expect(render('[the table](#a-long-table)')).not.toContain('class="url"');
    expect(render('[example.org](https://example.org/)')).not.toContain('class="url"');
    expect(render('<https://example.org/a/b>')).toContain(
      '<span class="url"><a href="https://example.org/a/b">https://example<wbr />.org<wbr />/a<wbr />/b</a></span>',
    );
  });

  it('numbers notes as plain superscripts, linked both ways', () => {
    const html = render('One.[^a] Two.[^a]\n\n[^a]: The note.\n');
    expect(html).toContain('<sup class="footnote-ref"><a href="#fn1" id="fnref1">1</a></sup>');
    expect(html).toContain('<sup class="footnote-ref"><a href="#fn1" id="fnref1:1">1</a></sup>');
    expect(html).toContain(
      '<li id="fn1" class="footnote-item"><p class="short">The note. <a href="#fnref1" class="footnote-backref">\u2191</a> <a href="#fnref1:1" class="footnote-backref">\u2191</a></p>',
    );
  });

  it('marks paragraphs of three lines or fewer, which are never split across pages', () => {
    expect(render('Short.')).toBe('<p class="short">Short.</p>\n');
    expect(render('word '.repeat(60))).toMatch(/^<p>word/);
    expect(render('한국어 '.repeat(30))).toMatch(/^<p class="short">/);
    expect(render('한국어 '.repeat(70))).toMatch(/^<p>한국어/);
    expect(render('- tight item')).toBe('<ul>\n<li>tight item</li>\n</ul>\n');
  });
});
