/**
 * The worker thread of verifier.ts: checks the PDFs it is sent and answers with the page
 * count or the error, as plain data (a HandoutError does not survive the message).
 */
import { parentPort } from 'node:worker_threads';
import { HandoutError } from '../errors.js';
import { checkPdf, type PdfToCheck } from './verify-pdf.js';

export interface CheckRequest {
  id: number;
  pdf: PdfToCheck;
}

export type CheckReply =
  | { id: number; pages: number }
  | { id: number; error: { message: string; code?: HandoutError['code']; where?: HandoutError['where']; hint?: string } };

parentPort?.on('message', ({ id, pdf }: CheckRequest) => {
  checkPdf(pdf).then(
    ({ pages }) => parentPort!.postMessage({ id, pages } satisfies CheckReply),
    (err: unknown) => {
      const error =
        err instanceof HandoutError
          ? { message: err.message, code: err.code, where: err.where, hint: err.hint }
          : { message: err instanceof Error ? err.message : String(err) };
      parentPort!.postMessage({ id, error } satisfies CheckReply);
    },
  );
});
