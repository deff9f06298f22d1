import { describe, expect, it } from 'vitest';
import { codeLines, fenceLanguage, highlightFences, MAX_HIGHLIGHTED_BYTES } from '../../src/document/code.js';
import { renderAfter } from '../helpers/markdown.js';

const render = (markdown: string) => renderAfter(highlightFences, markdown);

describe('code blocks', () => {
  it('names the language from the info string, without attributes', () => {
    expect(fenceLanguage('rust {.numberLines}')).toBe('rust');
    expect(fenceLanguage('Python')).toBe('python');
    expect(fenceLanguage('')).toBe('');
  });

  it('closes a highlighted span at the end of each line and opens it again on the next', () => {
    expect(codeLines('<span class="hljs-comment">/* one\ntwo */</span> x\n', true)).toBe(
      '<span class="line"><span class="hljs-comment">/* one</span>\n</span><span class="line"><span class="hljs-comment">two */</span> x\n</span>',
    );
    // Unnumbered, only a line that may wrap gets a box of its own.
    const long = `${'x'.repeat(61)}`;
    expect(codeLines(`short\n${long}\n`)).toBe(`short\n<span class="line long">${long}\n</span>`);
  });

  it('colours a known language at build time, and sets an unknown one or plain text as written', async () => {
    const { html } = await render('```python\nif x:\n    pass  # done\n```\n\n```nonesuch\n<b>\n```\n\n```\nplain\n```\n');
    expect(html).toContain('<pre><code class="language-python"><span class="hljs-keyword">if</span> x:\n');
    expect(html).toContain('<span class="hljs-comment"># done</span>');
    expect(html).toContain('<pre><code class="language-nonesuch">&lt;b&gt;\n</code></pre>');
    expect(html).toContain('<pre><code>plain\n</code></pre>');
  });

  it('puts the fence attributes on the <pre>: {.numberLines}', async () => {
    const { html } = await render('```js {.numberLines}\nlet a = 1;\n```\n');
    expect(html).toMatch(/^<pre class="numberLines"><code class="language-js">/);
  });

  it('sets a block too long to colour without colours, with a warning naming its line', async () => {
    const long = 'let x = 1;\n'.repeat(Math.ceil(MAX_HIGHLIGHTED_BYTES / 11) + 10);
    const { html, warnings } = await render(`Text.\n\n\`\`\`js\n${long}\`\`\`\n`);
    expect(html).not.toContain('hljs-keyword');
    expect(warnings).toEqual([{ line: 3, message: expect.stringMatching(/^this js block of \d+ KB is set without colours/) }]);
  });
});
