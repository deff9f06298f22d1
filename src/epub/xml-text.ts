/**
 * Characters XML 1.0 does not allow (C0 controls other than tab, line feed and carriage return,
 * U+FFFE, U+FFFF, unpaired surrogates), and DEL and the C1 controls, which it discourages.
 */
const NOT_IN_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text that can go into an XHTML, OPF or NCX file: front matter is cleaned already, the Markdown body is not. */
export function xmlText(text: string): string {
  return text.replace(NOT_IN_XML, '');
}

/** The characters that must stay escaped in XML text and attribute values. */
const MARKUP_CHARACTERS = new Set([0x3c, 0x3e, 0x26, 0x22, 0x27]);

/**
 * epub-gen-memory's XHTML writer escapes every character outside ASCII (`&#xD504;` for 프), which
 * makes a Korean chapter three times the size and unreadable as source. Those references become
 * the characters again; the five that markup needs stay escaped.
 */
export function unescapeCharacterReferences(xhtml: string): string {
  return xhtml.replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (reference, code: string) => {
    const codePoint = code[0] === 'x' || code[0] === 'X' ? parseInt(code.slice(1), 16) : Number(code);
    if (MARKUP_CHARACTERS.has(codePoint) || codePoint > 0x10ffff || xmlText(String.fromCodePoint(codePoint)) === '') return reference;
    return String.fromCodePoint(codePoint);
  });
}
