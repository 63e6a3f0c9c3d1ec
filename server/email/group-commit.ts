// Group commit for the outbox's durable marks. Concurrent sends (a worker runs many email activities at once) each
// need their `sending` claim committed before SMTP and their `sent` mark committed after it; a commit is the costly
// part of each (an fsync on PostgreSQL, a turn on PGlite's one connection). Here those waiting share one statement
// and one commit: while one batch is being written the next one gathers, so a lone send waits for nothing and a
// busy worker writes in batches. Every caller's promise settles only after its own batch has committed (or failed,
// then every caller of that batch gets the error, as if its own write had failed).

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * A function that writes one item, batched with the items of concurrent callers: `write` gets up to `maxBatch`
 * items and answers one result per item, in order.
 */
export function groupCommit<T, R>(
  write: (items: readonly T[]) => Promise<readonly R[]>,
  maxBatch = 100,
): (item: T) => Promise<R> {
  const waiting: Waiting<T, R>[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, maxBatch);
        try {
          const results = await write(batch.map((w) => w.item));
          batch.forEach((w, i) => w.resolve(results[i]!));
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      writing = false;
    }
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}
