import { describe, expect, it } from 'vitest';
import { renderFormulas } from '../../src/document/math.js';
import { renderAfter } from '../helpers/markdown.js';

const render = (markdown: string) => renderAfter(renderFormulas, markdown);

describe('formulas', () => {
  it('turns $…$, \\(…\\), $$…$$ and \\[…\\] into MathML with the TeX as alttext and annotation', async () => {
    const { html, warnings } = await render('Inline $a^2$ and \\(b_1\\).\n\n$$\nx = \\frac{1}{2}\n$$\n\n\\[\ny\n\\]\n');
    expect(warnings).toEqual([]);
    expect(html).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML" alttext="a^2"><semantics><msup><mi>a</mi>');
    expect(html).toContain('alttext="b_1"');
    expect(html).toMatch(/<div class="math-display"><math xmlns="[^"]+" alttext="x = \\frac\{1\}\{2\}" display="block"/);
    expect(html).toContain('<annotation encoding="application/x-tex">y</annotation>');
  });

  it('leaves amounts of money alone', async () => {
    const { html } = await render('A kit costs $40 and a meter $250.\n');
    expect(html).toBe('<p>A kit costs $40 and a meter $250.</p>\n');
  });

  it.each([
    ['$\\frac{1}{$', 'Unexpected end of input'],
    [`$${'{'.repeat(100)}x${'}'.repeat(100)}$`, 'its braces nest more than 64 deep'],
    [`$${'{'.repeat(10_000)}x${'}'.repeat(10_000)}$`, 'it is longer than 8 KB'],
    [`$${'x+'.repeat(5_000)}x$`, 'it is longer than 8 KB'],
    [`$${'\\sqrt{'.repeat(60)}x${'}'.repeat(60)}$`, ''],
  ])('shows bad or unbounded TeX as code, with a warning naming its line: %#', async (formula, reason) => {
    const { html, warnings } = await render(`Text.\n\nThe formula ${formula} here.\n`);
    if (reason === '') {
      // Deep but within the bounds: rendered.
      expect(html).toContain('<math');
      return;
    }
    expect(html).toContain('<code class="math-source">');
    expect(html).not.toContain('<math');
    expect(warnings).toEqual([{ line: 3, message: expect.stringContaining(reason) }]);
  });
});
