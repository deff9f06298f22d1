/**
 * Characters XML 1.0 does not allow (C0 controls other than tab, line feed and carriage return,
 * U+FFFE, U+FFFF, unpaired surrogates), and DEL and the C1 controls, which it discourages.
 */
const NOT_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text that can go into an XHTML, OPF or NCX file: front matter is cleaned already, the Markdown body is not. */
export function xmlText(text: string): string {
  return text.replace(NOT_IN_XML, '');
}
