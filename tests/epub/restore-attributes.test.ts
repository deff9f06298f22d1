import { describe, expect, it } from 'vitest';
import { restoreDroppedAttributes } from '../../src/epub/restore-attributes.js';

describe('attributes epub-gen-memory drops', () => {
  it('puts them back on the same elements, in order, as XML', () => {
    const original =
      '<ol start="3"><li>a</li></ol><ol><li value="7">b</li></ol><ol reversed start="2"></ol><img alt="x" width="10" height="5" src="a.png" /><time datetime="2024-01-02">2 Jan</time>';
    const converted = '<ol><li>a</li></ol><ol><li>b</li></ol><ol></ol><img alt="x" src="images/image-1.png"/><time>2 Jan</time>';
    expect(restoreDroppedAttributes(original, converted)).toBe(
      '<ol start="3"><li>a</li></ol><ol><li value="7">b</li></ol><ol reversed="reversed" start="2"></ol><img alt="x" src="images/image-1.png" width="10" height="5"/><time datetime="2024-01-02">2 Jan</time>',
    );
  });

  it("makes an image without alt text decorative instead of the library's placeholder", () => {
    const original =
      '<img src="a.png" /><img alt="" src="b.png" /><img alt="A chart" src="c.png" /><img alt="  " role="img" src="d.png" />';
    const converted =
      '<img alt="image-placeholder" src="images/image-1.png"/><img alt="image-placeholder" src="images/image-2.png"/><img alt="A chart" src="images/image-3.png"/><img alt="image-placeholder" role="img" src="images/image-4.png"/>';
    expect(restoreDroppedAttributes(original, converted)).toBe(
      '<img role="presentation" alt="" src="images/image-1.png"/><img role="presentation" alt="" src="images/image-2.png"/><img alt="A chart" src="images/image-3.png"/><img alt="" role="img" src="images/image-4.png"/>',
    );
  });

  it('leaves other attributes and other elements alone', () => {
    const original = '<p class="x" onclick="y"><a href="#a" start="1">a</a></p><link rel="x"><li>z</li>';
    const converted = '<p class="x"><a href="#a">a</a></p><li>z</li>';
    expect(restoreDroppedAttributes(original, converted)).toBe(converted);
  });

  it('changes nothing for an element when the counts differ', () => {
    expect(restoreDroppedAttributes('<ol start="3"></ol><ol start="4"></ol>', '<ol></ol>')).toBe('<ol></ol>');
  });
});
