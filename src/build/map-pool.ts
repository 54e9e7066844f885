/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in order of the items.
 * Once `signal` is aborted no new item is started; the ones in flight finish.
 */
export async function mapPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
