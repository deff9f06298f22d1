/** The document information, repeated as XMP: what archives and PDF/A tools read. */
export interface XmpFields {
  title: string;
  authors: string[];
  description: string | undefined;
  lang: string;
  keywords: string[];
  creatorTool: string;
  producer: string | undefined;
  created: Date;
  modified: Date;
  edition: string | undefined;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function xmpDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const alt = (value: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(value)}</rdf:li></rdf:Alt>`;
const seq = (values: string[]) => `<rdf:Seq>${values.map((value) => `<rdf:li>${escapeXml(value)}</rdf:li>`).join('')}</rdf:Seq>`;
const bag = (values: string[]) => `<rdf:Bag>${values.map((value) => `<rdf:li>${escapeXml(value)}</rdf:li>`).join('')}</rdf:Bag>`;

/** An XMP packet (Dublin Core, XMP basic, Adobe PDF, and PRISM for the edition). */
export function xmpPacket(fields: XmpFields): string {
  const properties = [
    `<dc:format>application/pdf</dc:format>`,
    `<dc:title>${alt(fields.title)}</dc:title>`,
    fields.authors.length ? `<dc:creator>${seq(fields.authors)}</dc:creator>` : '',
    fields.description ? `<dc:description>${alt(fields.description)}</dc:description>` : '',
    `<dc:language>${bag([fields.lang])}</dc:language>`,
    fields.keywords.length ? `<dc:subject>${bag(fields.keywords)}</dc:subject>` : '',
    fields.keywords.length ? `<pdf:Keywords>${escapeXml(fields.keywords.join(', '))}</pdf:Keywords>` : '',
    fields.producer ? `<pdf:Producer>${escapeXml(fields.producer)}</pdf:Producer>` : '',
    `<xmp:CreatorTool>${escapeXml(fields.creatorTool)}</xmp:CreatorTool>`,
    `<xmp:CreateDate>${xmpDate(fields.created)}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${xmpDate(fields.modified)}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${xmpDate(fields.modified)}</xmp:MetadataDate>`,
    fields.edition ? `<prism:edition>${escapeXml(fields.edition)}</prism:edition>` : '',
  ].filter(Boolean);
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"' +
      ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:prism="http://prismstandard.org/namespaces/basic/3.0/">',
    ...properties,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}
