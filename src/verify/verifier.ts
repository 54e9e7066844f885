/**
 * Verifies printed PDFs on a worker thread. Reading a PDF's text back is ~10 ms of
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
import type { PdfFile } from '../print/launch-printer.js';
import { checkPdf, verifyPdf, type PdfToCheck, type VerifiedPdf } from './verify-pdf.js';
import type { CheckReply, CheckRequest } from './verify-worker.js';

export interface Verifier {
  verify(pdf: PdfFile): Promise<VerifiedPdf>;
  close(): Promise<void>;
}

/** Fewer documents than this are checked on the calling thread. */
const WORKER_FROM = 8;

export function startVerifier(documents: number): Verifier {
  const entry = new URL('./verify-worker.js', import.meta.url);
  if (documents < WORKER_FROM || !import.meta.url.endsWith('.js')) return { verify: verifyPdf, close: async () => {} };

  const worker = new Worker(entry);
  const waiting = new Map<number, { pdf: PdfFile; resolve: (pages: number) => void; reject: (err: unknown) => void }>();
  let next = 0;
  // A worker that stopped (out of memory, say) loses no document: its checks, and all
  // later ones, run on this thread instead.
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    for (const { pdf, resolve, reject } of waiting.values()) checkPdf(pdf).then(({ pages }) => resolve(pages), reject);
    waiting.clear();
  };
  worker.on('message', (reply: CheckReply) => {
    const call = waiting.get(reply.id);
    if (!call) return;
    waiting.delete(reply.id);
    if ('pages' in reply) call.resolve(reply.pages);
    else if (reply.error.code) call.reject(new HandoutError(reply.error.code, reply.error.message, { where: reply.error.where, hint: reply.error.hint }));
    else call.reject(new Error(reply.error.message));
  });
  worker.on('error', stop);
  worker.on('exit', stop);
  // It keeps the process alive only while a check is waiting for it.
  worker.unref();

  return {
    async verify(pdf) {
      if (stopped) return verifyPdf(pdf);
      const id = next++;
      if (waiting.size === 0) worker.ref();
      const pages = await new Promise<number>((resolve, reject) => {
        waiting.set(id, { pdf, resolve, reject });
        worker.postMessage({ id, pdf: toCheck(pdf) } satisfies CheckRequest);
      }).finally(() => {
        if (waiting.size === 0) worker.unref();
      });
      return { ...pdf, pages };
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
