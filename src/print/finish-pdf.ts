/**
 * The last step before a printed PDF is verified and written: what Chromium cannot be told.
 * One update (pdf-update/apply-update.ts) replaces Chromium's Info dictionary, whose dates
 * are the time of printing, with one whose date is the document's (reproducible builds),
 * and adds what makes the file describe itself to assistive technology and document managers:
 * - the Info dictionary and XMP metadata (title, the clinic as author, summary, category,
 *   language, "handout <version>" as creator, the PDF/UA identifier);
 * - list items whose body Chromium tags /NonStruct get the standard /LBody (ISO 32000-1,
 *   14.8.4.3.3: an LI holds an Lbl and an LBody);
 * - what Chromium paints outside any tag (backgrounds, borders, rules, icons hidden from
 *   screen readers) is marked as an artifact (pdf-update/mark-artifacts.ts), so that every
 *   mark on the page is either read or known to be decoration (PDF/UA-1, 7.1).
 */
import { deflateSync } from 'node:zlib';
import { PdfDict, PdfDocument, PdfName, PdfRef, PdfString, type PdfValue } from '../pdf/pdf-syntax.js';
import { documentDate } from './document-date.js';
import type { PdfFile } from './launch-printer.js';
import { applyUpdate, type UpdateObject } from './pdf-update/apply-update.js';
import type { DocumentInfo } from '../render/create-renderer.js';
import { infoDict, METADATA_DICT, xmpPacket } from './pdf-update/document-info.js';
import { markArtifacts } from './pdf-update/mark-artifacts.js';

/**
 * A printed sheet finished for verifying and writing. The date recorded is SOURCE_DATE_EPOCH
 * (reproducible builds), else the handout's review date, else none.
 */
export function finished(printed: PdfFile, sourceDateEpoch: string | undefined): PdfFile {
  const date = documentDate(sourceDateEpoch, printed.page.reviewed);
  return { ...printed, bytes: finishPdf(printed.bytes, printed.page.document, date) };
}

/** @param date the moment to record (SOURCE_DATE_EPOCH or the review date), or null for none */
export function finishPdf(bytes: Uint8Array, info: DocumentInfo, date: Date | null): Uint8Array {
  const doc = new PdfDocument(bytes);
  const root = doc.trailer.get('Root');
  const catalog = doc.dict(root);
  if (!(root instanceof PdfRef) || !catalog) throw new Error('the PDF has no document catalog');
  const size = doc.trailer.get('Size');
  let next = typeof size === 'number' ? size : 0;
  const oldInfoRef = doc.trailer.get('Info');
  const oldInfo = doc.dict(oldInfoRef);
  const infoNum = oldInfoRef instanceof PdfRef ? oldInfoRef.num : next++;
  const metadataNum = next++;
  const producer = oldInfo?.get('Producer');
  const objects: UpdateObject[] = [
    { num: infoNum, value: infoDict(oldInfo, info, date) },
    { num: metadataNum, dict: METADATA_DICT, data: xmpPacket(info, producer instanceof PdfString ? producer.bytes : null, date) },
    { num: root.num, value: withEntries(catalog, { Metadata: new PdfRef(metadataNum) }) },
    ...listBodies(doc, catalog, () => next++),
    ...artifacts(doc, catalog, () => next++),
  ];
  return applyUpdate(bytes, doc, { objects, trailer: { Info: new PdfRef(infoNum) } });
}

/** Each page's content with its untagged painting marked as artifacts, as a new stream. */
function artifacts(doc: PdfDocument, catalog: PdfDict, nextNum: () => number): UpdateObject[] {
  const out: UpdateObject[] = [];
  for (const page of pageRefs(doc, doc.resolve(catalog.get('Pages')) instanceof PdfDict ? catalog.get('Pages') : undefined)) {
    const dict = doc.dict(page)!;
    const contents = dict.get('Contents');
    const parts = contents instanceof PdfRef ? [contents] : Array.isArray(doc.resolve(contents)) ? (doc.resolve(contents) as PdfValue[]) : [];
    const streams = parts.map((part) => doc.stream(part));
    if (!streams.length || streams.some((st) => st === undefined)) continue;
    // Several streams of a page are one stream for marked content (ISO 32000-1, 7.8.2).
    const content = streams.map((st) => st!.data).join('\n');
    const marked = markArtifacts(content);
    if (marked === content) continue;
    const data = deflateSync(Buffer.from(marked, 'latin1'));
    const streamDict = new PdfDict(new Map<string, PdfValue>([['Filter', new PdfName('FlateDecode')]]));
    if (contents instanceof PdfRef) {
      out.push({ num: contents.num, dict: streamDict, data });
    } else {
      const ref = new PdfRef(nextNum());
      out.push({ num: ref.num, dict: streamDict, data }, { num: (page as PdfRef).num, value: withEntries(dict, { Contents: ref }) });
    }
  }
  return out;
}

/** The page objects, in order, from the page tree. */
function pageRefs(doc: PdfDocument, node: PdfValue | undefined, depth = 0): PdfRef[] {
  const dict = doc.dict(node);
  if (!dict || !(node instanceof PdfRef) || depth > 32) return [];
  const type = dict.get('Type');
  if (type instanceof PdfName && type.name === 'Page') return [node];
  const kids = doc.resolve(dict.get('Kids'));
  return Array.isArray(kids) ? kids.flatMap((kid) => pageRefs(doc, kid, depth + 1)) : [];
}

function withEntries(dict: PdfDict, entries: Record<string, PdfValue>): PdfDict {
  return new PdfDict(new Map([...dict.entries, ...Object.entries(entries)]));
}

/**
 * Chromium tags a list item's body as one /NonStruct per run of text ("<b>Heat</b> — A warm
 * pack…" is two); the standard wants one /LBody beside the optional /Lbl. A lone body is
 * renamed; several are gathered under a new LBody, their parent pointers moved to it.
 */
function listBodies(doc: PdfDocument, catalog: PdfDict, nextNum: () => number): UpdateObject[] {
  const out: UpdateObject[] = [];
  const seen = new Set<number>();
  const kidsOf = (elem: PdfDict): PdfValue[] => {
    const kids = elem.get('K');
    return kids === undefined ? [] : Array.isArray(kids) ? kids : [kids];
  };
  const typeOf = (value: PdfValue): string | null => {
    const type = doc.dict(value)?.get('S');
    return value instanceof PdfRef && type instanceof PdfName ? type.name : null;
  };
  const visit = (ref: PdfValue | undefined) => {
    if (!(ref instanceof PdfRef) || seen.has(ref.num)) return;
    seen.add(ref.num);
    const elem = doc.dict(ref);
    if (!elem) return;
    const kids = kidsOf(elem);
    if (typeOf(ref) === 'LI') {
      const bodies = kids.filter((kid) => typeOf(kid) !== 'Lbl');
      if (bodies.length && bodies.every((kid) => typeOf(kid) === 'NonStruct')) {
        if (bodies.length === 1) {
          const body = bodies[0] as PdfRef;
          out.push({ num: body.num, value: withEntries(doc.dict(body)!, { S: new PdfName('LBody') }) });
        } else {
          const lbody = new PdfRef(nextNum());
          out.push({
            num: lbody.num,
            value: new PdfDict(new Map<string, PdfValue>([['Type', new PdfName('StructElem')], ['S', new PdfName('LBody')], ['P', ref], ['K', bodies]])),
          });
          out.push({ num: ref.num, value: withEntries(elem, { K: [...kids.filter((kid) => typeOf(kid) === 'Lbl'), lbody] }) });
          for (const body of bodies as PdfRef[]) out.push({ num: body.num, value: withEntries(doc.dict(body)!, { P: lbody }) });
        }
      }
    }
    kids.forEach(visit);
  };
  kidsOf(doc.dict(catalog.get('StructTreeRoot')) ?? new PdfDict(new Map())).forEach(visit);
  return out;
}
