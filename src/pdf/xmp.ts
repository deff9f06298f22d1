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
  /** The standards the file claims: PDF/A-3 (part and conformance) and PDF/UA-1; none when undefined. */
  claims?: { pdfa: { part: number; conformance: string }; pdfua: number } | undefined;
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

/**
 * PDF/A lets XMP hold only the schemas it predefines and those described in the packet itself:
 * PRISM (for the edition) and PDF/UA's identification are described here (ISO 19005-3, 6.6.2.3).
 */
function extensionSchemas(fields: XmpFields): string {
  const schema = (name: string, uri: string, prefix: string, property: string, type: string, description: string) =>
    '<rdf:li rdf:parseType="Resource">' +
    `<pdfaSchema:schema>${name}</pdfaSchema:schema><pdfaSchema:namespaceURI>${uri}</pdfaSchema:namespaceURI>` +
    `<pdfaSchema:prefix>${prefix}</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">` +
    `<pdfaProperty:name>${property}</pdfaProperty:name><pdfaProperty:valueType>${type}</pdfaProperty:valueType>` +
    `<pdfaProperty:category>internal</pdfaProperty:category><pdfaProperty:description>${description}</pdfaProperty:description>` +
    '</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li>';
  const schemas = [
    fields.claims
      ? schema(
          'PDF/UA Universal Accessibility Schema',
          PDFUAID,
          'pdfuaid',
          'part',
          'Integer',
          'Indicates, which part of ISO 14289 standard is followed',
        )
      : '',
    fields.edition ? schema('PRISM Basic Metadata', PRISM, 'prism', 'edition', 'Text', 'The edition of the publication') : '',
  ].filter(Boolean);
  if (schemas.length === 0) return '';
  return `<pdfaExtension:schemas><rdf:Bag>${schemas.join('')}</rdf:Bag></pdfaExtension:schemas>`;
}

const PRISM = 'http://prismstandard.org/namespaces/basic/3.0/';
const PDFUAID = 'http://www.aiim.org/pdfua/ns/id/';

/** An XMP packet (Dublin Core, XMP basic, Adobe PDF, PRISM for the edition, and the PDF/A and PDF/UA claims). */
export function xmpPacket(fields: XmpFields): string {
  const claims = fields.claims;
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
    claims ? `<pdfaid:part>${claims.pdfa.part}</pdfaid:part><pdfaid:conformance>${claims.pdfa.conformance}</pdfaid:conformance>` : '',
    claims ? `<pdfuaid:part>${claims.pdfua}</pdfuaid:part>` : '',
    extensionSchemas(fields),
  ].filter(Boolean);
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"' +
      ` xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:prism="${PRISM}"` +
      ` xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:pdfuaid="${PDFUAID}"` +
      ' xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"' +
      ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
    ...properties,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}
