/**
 * Finishes (print/finish-pdf.ts) and verifies printed PDFs on a worker thread. Reading a PDF's text back is ~10 ms of
 * JavaScript per document; on the main thread it held up the DevTools messages of every
 * page printing meanwhile, so Chromium waited on it (a 210-handout build ran ~10 % faster
 * with verification switched off). On its own thread it overlaps the printing instead.
 *
 * A build of a few documents checks them on the calling thread: starting the worker
 * costs more than it saves there (the one-handout rebuild is a matter of milliseconds).
 * So does running from the TypeScript sources (the tests under vitest), where there is no
 * compiled worker to start.
 */
import { Worker } from 'node:worker_threads';
import { HandoutError } from '../errors.js';
import { finishPdf } from '../print/finish-pdf.js';
import type { PdfFile } from '../print/launch-printer.js';
import type { DocumentInfo } from '../render/create-renderer.js';
import { verifyPdf, type PdfToCheck, type VerifiedPdf } from './verify-pdf.js';
import type { CheckReply, CheckRequest } from './verify-worker.js';

export interface Verifier {
  /** Finishes the printed PDF (its metadata, tags and date) and verifies what will be written. */
  verify(pdf: PdfFile, date: Date | null): Promise<VerifiedPdf>;
  close(): Promise<void>;
}

/** What the worker needs to finish a PDF as finishPdf does. */
export interface FinishRequest {
  info: DocumentInfo;
  /** Milliseconds since 1970, or null for no date. */
  date: number | null;
}

/** On the calling thread: finish, then verify. */
function finishAndVerify(pdf: PdfFile, date: Date | null): Promise<VerifiedPdf> {
  return verifyPdf({ ...pdf, bytes: finishPdf(pdf.bytes, pdf.page.document, date) });
}

/** Fewer documents than this are checked on the calling thread. */
const WORKER_FROM = 8;

export function startVerifier(documents: number): Verifier {
  const entry = new URL('./verify-worker.js', import.meta.url);
  if (documents < WORKER_FROM || !import.meta.url.endsWith('.js')) return { verify: finishAndVerify, close: async () => {} };

  const worker = new Worker(entry);
  const waiting = new Map<number, { pdf: PdfFile; date: Date | null; resolve: (done: { pages: number; bytes: Uint8Array }) => void; reject: (err: unknown) => void }>();
  let next = 0;
  // A worker that stopped (out of memory, say) loses no document: its checks, and all
  // later ones, run on this thread instead.
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const { pdf, date, resolve, reject } of waiting.values()) finishAndVerify(pdf, date).then(resolve, reject);
    waiting.clear();
  };
  worker.on('message', (reply: CheckReply) => {
    const call = waiting.get(reply.id);
    if (!call) return;
    waiting.delete(reply.id);
    if ('pages' in reply) call.resolve(reply);
    else if ('data' in reply.error) call.reject(HandoutError.from(reply.error.data));
    else call.reject(new Error(reply.error.message));
  });
  worker.on('error', stop);
  worker.on('exit', stop);
  // It keeps the process alive only while a check is waiting for it.
  worker.unref();

  return {
    async verify(pdf, date) {
      if (stopped) return finishAndVerify(pdf, date);
      const id = next++;
      if (waiting.size === 0) worker.ref();
      const { pages, bytes } = await new Promise<{ pages: number; bytes: Uint8Array }>((resolve, reject) => {
        waiting.set(id, { pdf, date, resolve, reject });
        const finish: FinishRequest = { info: pdf.page.document, date: date?.getTime() ?? null };
        worker.postMessage({ id, pdf: toCheck(pdf), finish } satisfies CheckRequest);
      }).finally(() => {
        if (waiting.size === 0) worker.unref();
      });
      return { ...pdf, bytes, pages };
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** Only what the checks read crosses to the worker (the bytes are copied: they are written after). */
function toCheck({ bytes, fit, page }: PdfFile): PdfToCheck {
  const { layout, pageSize, dir, safety, text, fontNames, source } = page;
  return { bytes, fit, page: { layout, pageSize, dir, safety, text, fontNames, source: { file: source.file, locale: source.locale } } };
}
