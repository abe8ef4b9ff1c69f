/** Runs functions one at a time, in call order; a failure does not stop the next. */
export type Serial = <T>(fn: () => Promise<T>) => Promise<T>;

/** A queue of one: each call runs after the previous one settled. */
export function createSerial(): Serial {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
}

/** One queue per key (a claim): work on one key runs in call order, different keys side by side. */
export function createKeyedSerial(): <T>(key: string, fn: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, fn) => {
    const next = (tails.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = next.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return next;
  };
}
