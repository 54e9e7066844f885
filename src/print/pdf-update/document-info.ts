/**
 * What a PDF says about itself, for screen readers, search and document managers: the
 * Info dictionary (what pdfinfo and a viewer's Properties show) and the same facts as XMP,
 * with the PDF/UA identifier and the document's language (ISO 14289-1, 5 and 7.1).
 * Chromium writes only the title, and the browser's user agent as Creator.
 */
import { PdfDict, PdfName, PdfString, type PdfValue } from '../../pdf/pdf-syntax.js';
import type { DocumentInfo } from '../../render/create-renderer.js';
import { pdfDate } from '../document-date.js';
import { textString } from './apply-update.js';

/** The Info dictionary: Chromium's entries (Producer) kept, ours added. */
export function infoDict(old: PdfDict | undefined, info: DocumentInfo, date: Date | null): PdfDict {
  const entries = new Map<string, PdfValue>();
  const producer = old?.get('Producer');
  if (producer instanceof PdfString) entries.set('Producer', producer);
  entries.set('Title', textString(info.title));
  if (info.author) entries.set('Author', textString(info.author));
  if (info.subject) entries.set('Subject', textString(info.subject));
  if (info.keywords) entries.set('Keywords', textString(info.keywords));
  entries.set('Creator', textString(info.creator));
  if (date) {
    entries.set('CreationDate', new PdfString(pdfDate(date)));
    entries.set('ModDate', new PdfString(pdfDate(date)));
  }
  return new PdfDict(entries);
}

/** The Metadata stream's dictionary; XMP stays uncompressed so any tool can read it. */
export const METADATA_DICT = new PdfDict(
  new Map<string, PdfValue>([
    ['Type', new PdfName('Metadata')],
    ['Subtype', new PdfName('XML')],
  ]),
);

/** The XMP packet (UTF-8). Dates as in the Info dictionary, which PDF/A and PDF/UA checkers compare. */
export function xmpPacket(info: DocumentInfo, producer: string | null, date: Date | null): Uint8Array {
  const alt = (value: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${xml(value)}</rdf:li></rdf:Alt>`;
  const lines = [
    `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>`,
    `<x:xmpmeta xmlns:x="adobe:ns:meta/">`,
    `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`,
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">`,
    `<dc:format>application/pdf</dc:format>`,
    `<dc:title>${alt(info.title)}</dc:title>`,
    info.author ? `<dc:creator><rdf:Seq><rdf:li>${xml(info.author)}</rdf:li></rdf:Seq></dc:creator>` : null,
    info.subject ? `<dc:description>${alt(info.subject)}</dc:description>` : null,
    info.keywords ? `<dc:subject><rdf:Bag><rdf:li>${xml(info.keywords)}</rdf:li></rdf:Bag></dc:subject>` : null,
    `<dc:language><rdf:Bag><rdf:li>${xml(info.lang)}</rdf:li></rdf:Bag></dc:language>`,
    info.keywords ? `<pdf:Keywords>${xml(info.keywords)}</pdf:Keywords>` : null,
    producer ? `<pdf:Producer>${xml(producer)}</pdf:Producer>` : null,
    `<xmp:CreatorTool>${xml(info.creator)}</xmp:CreatorTool>`,
    date ? `<xmp:CreateDate>${isoDate(date)}</xmp:CreateDate>` : null,
    date ? `<xmp:ModifyDate>${isoDate(date)}</xmp:ModifyDate>` : null,
    date ? `<xmp:MetadataDate>${isoDate(date)}</xmp:MetadataDate>` : null,
    `<pdfuaid:part>1</pdfuaid:part>`,
    `</rdf:Description>`,
    `</rdf:RDF>`,
    `</x:xmpmeta>`,
    `<?xpacket end="r"?>`,
  ];
  return new TextEncoder().encode(lines.filter((l) => l !== null).join('\n'));
}

function xml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** 2026-12-05T00:00:00Z */
function isoDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
