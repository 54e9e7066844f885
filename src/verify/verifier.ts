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
import { checkPdf, type PdfToCheck, type VerifiedPdf } from './verify-pdf.js';
import type { CheckReply, CheckRequest } from './verify-worker.js';

export interface Verifier {
  verify(pdf: PdfFile): Promise<VerifiedPdf>;
  close(): Promise<void>;
}

/** Fewer documents than this are checked on the calling thread. */
const WORKER_FROM = 8;

export function startVerifier(documents: number): Verifier {
  const entry = new URL('./verify-worker.js', import.meta.url);
  if (documents < WORKER_FROM || !import.meta.url.endsWith('.js')) return { verify: async (pdf) => ({ ...pdf, ...(await checkPdf(pdf)) }), close: async () => {} };

  const worker = new Worker(entry);
  const waiting = new Map<number, { resolve: (pages: number) => void; reject: (err: Error) => void }>();
  let next = 0;
  let broken: Error | null = null;
  const failAll = (err: Error) => {
    broken ??= err;
    for (const { reject } of waiting.values()) reject(err);
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
  worker.on('error', (err) => failAll(new Error(`the PDF checker stopped: ${err.message}`)));
  worker.on('exit', () => failAll(new Error('the PDF checker stopped')));
  // It keeps the process alive only while a check is waiting for it.
  worker.unref();

  return {
    async verify(pdf) {
      if (broken) throw broken;
      const id = next++;
      if (waiting.size === 0) worker.ref();
      const pages = await new Promise<number>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
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
