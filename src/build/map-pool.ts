/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in order of the items.
 * Once `signal` is aborted, or a call has failed, no new item is started; the ones in
 * flight finish before it returns (or rethrows the first failure), so nothing is left
 * running behind the caller's back.
 */
export async function mapPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !signal?.aborted && !failed) {
      const item = items[next++]!;
      await fn(item).catch((err: unknown) => {
        failed = true;
        throw err;
      });
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
}
