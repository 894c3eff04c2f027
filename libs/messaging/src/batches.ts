/** What `inBatches` races a pending `next()` against: nothing more was already waiting. */
const NOTHING_WAITING = Symbol('nothing waiting');

/**
 * Groups what an async iterator already holds into arrays of at most `max`: each batch starts
 * with the next item (waiting for it as long as it takes) and takes every further item that is
 * ready at once, never waiting for one that is not. At a low rate every batch has one item, so
 * nothing is delayed; under load a consumer handles a burst in one transaction instead of one
 * transaction per message. A `next()` that was not ready is kept for the following batch, so no
 * item is lost or read twice.
 */
export async function* inBatches<T>(source: AsyncIterable<T>, max: number): AsyncGenerator<T[], void, undefined> {
  if (!(max >= 1)) throw new RangeError(`batch size must be at least 1, got ${max}`);
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const first = await next;
      if (first.done) return;
      const batch = [first.value];
      next = it.next();
      let ended = false;
      while (batch.length < max) {
        // Items already queued resolve within microtasks, before setImmediate fires.
        const r = await Promise.race([next, new Promise<typeof NOTHING_WAITING>((resolve) => setImmediate(() => resolve(NOTHING_WAITING)))]);
        if (r === NOTHING_WAITING) break;
        if (r.done) {
          ended = true;
          break;
        }
        batch.push(r.value);
        next = it.next();
      }
      yield batch;
      if (ended) return;
    }
  } finally {
    // The consumer stopped early (break, throw): let the source clean up.
    await it.return?.();
  }
}
