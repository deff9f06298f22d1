import { describe, expect, it } from 'vitest';
import { headingTexts } from '../../src/pdf/outline.js';

describe('headingTexts', () => {
  it('reads the headings of the print page in order, as plain text', () => {
    const html = [
      '<h1 class="title">Tom &amp; Jerry &#8211; &#x201C;the&nbsp;end&#x201D;</h1>',
      '<p>Not a heading</p>',
      '<h2 id="a">A <em>long</em>\ntable<sup class="footnote-ref"><a href="#fn1">1</a></sup></h2>',
      '<h3>Soft\u00ADhyphen</h3>',
    ].join('\n');
    expect(headingTexts(html)).toEqual(['Tom & Jerry \u2013 \u201cthe\u00a0end\u201d', 'A long table1', 'Softhyphen']);
  });
});
