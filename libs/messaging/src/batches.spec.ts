import { inBatches } from './batches';

/** A source the test feeds by hand, like a subscription that receives messages over time. */
function feed<T>() {
  const queue: T[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  const source: AsyncIterable<T> = {
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<T>> {
        while (queue.length === 0 && !closed) await new Promise<void>((r) => (wake = r));
        return queue.length ? { value: queue.shift()!, done: false } : { value: undefined, done: true };
      },
    }),
  };
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  return { source, push: (...xs: T[]) => (queue.push(...xs), poke()), close: () => ((closed = true), poke()) };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('inBatches', () => {
  it('takes everything already waiting (up to max) into one batch, in order', async () => {
    const f = feed<number>();
    f.push(1, 2, 3, 4, 5);
    f.close();
    const seen: number[][] = [];
    for await (const b of inBatches(f.source, 2)) seen.push(b);
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('never waits for an item that is not there: a lone item is a batch of one', async () => {
    const f = feed<string>();
    const it = inBatches(f.source, 10)[Symbol.asyncIterator]();
    const first = it.next();
    f.push('a');
    expect(await first).toEqual({ value: ['a'], done: false });
    // An item that arrives later starts the next batch; nothing was lost to the race.
    const second = it.next();
    await tick();
    f.push('b', 'c');
    expect(await second).toEqual({ value: ['b', 'c'], done: false });
    f.close();
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('ends with the source, yielding what it holds first', async () => {
    const f = feed<number>();
    f.push(7);
    f.close();
    const all: number[][] = [];
    for await (const b of inBatches(f.source, 100)) all.push(b);
    expect(all).toEqual([[7]]);
  });

  it('refuses a batch size below 1', async () => {
    await expect(inBatches(feed<number>().source, 0).next()).rejects.toThrow(RangeError);
  });
});
