/**
 * The worker thread of verifier.ts: finishes and checks the PDFs it is sent and answers
 * with the finished bytes and page count, or the error, as plain data (a HandoutError
 * does not survive the message).
 */
import { parentPort } from 'node:worker_threads';
import { HandoutError, type HandoutErrorData } from '../errors.js';
import { finishPdf } from '../print/finish-pdf.js';
import type { FinishRequest } from './verifier.js';
import { checkPdf, type PdfToCheck } from './verify-pdf.js';

export interface CheckRequest {
  id: number;
  pdf: PdfToCheck;
  finish: FinishRequest;
}

export type CheckReply =
  | { id: number; pages: number; bytes: Uint8Array }
  | { id: number; error: { data: HandoutErrorData } | { message: string } };

parentPort?.on('message', ({ id, pdf, finish }: CheckRequest) => {
  Promise.resolve()
    .then(() => {
      const bytes = finishPdf(pdf.bytes, finish.info, finish.date === null ? null : new Date(finish.date));
      return checkPdf({ ...pdf, bytes }).then(({ pages }) => ({ pages, bytes }));
    })
    .then(
    ({ pages, bytes }) => parentPort!.postMessage({ id, pages, bytes } satisfies CheckReply, [bytes.buffer as ArrayBuffer]),
    (err: unknown) => {
      const error =
        err instanceof HandoutError
          ? { data: err.toData() }
          : { message: err instanceof Error ? err.message : String(err) };
      parentPort!.postMessage({ id, error } satisfies CheckReply);
    },
  );
});
