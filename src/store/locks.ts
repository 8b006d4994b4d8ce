// In-process keyed reader/writer locks for the node store.
// LevelDB gives atomic batches but no read-check-write transactions, so every store operation that
// reads, decides, then writes holds locks on the names it depends on: e.g. consuming a presignature
// holds `presig:<keyId>/<id>` exclusively (two concurrent consumes cannot both succeed) and
// `key:<keyId>` shared (a refresh, which holds it exclusively, cannot interleave).
// Assumes: one process owns the database (LevelDB's LOCK file enforces it), so in-process locks are
// enough; all multi-lock acquisitions go through `withLocks`, which takes names in sorted order, so
// there is no lock-order deadlock. Grants are FIFO (a waiting writer is not starved by readers).

export type LockMode = 'shared' | 'exclusive';
export interface LockRequest {
  name: string;
  mode: LockMode;
}

interface Waiter {
  mode: LockMode;
  grant: () => void;
}

class RwLock {
  readers = 0;
  writer = false;
  readonly queue: Waiter[] = [];

  get idle(): boolean {
    return this.readers === 0 && !this.writer && this.queue.length === 0;
  }

  #compatible(mode: LockMode): boolean {
    return mode === 'shared' ? !this.writer : !this.writer && this.readers === 0;
  }

  #take(mode: LockMode): void {
    if (mode === 'shared') this.readers++;
    else this.writer = true;
  }

  acquire(mode: LockMode): Promise<void> {
    if (this.queue.length === 0 && this.#compatible(mode)) {
      this.#take(mode);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push({ mode, grant: resolve }));
  }

  release(mode: LockMode): void {
    if (mode === 'shared') this.readers--;
    else this.writer = false;
    while (this.queue.length > 0 && this.#compatible(this.queue[0].mode)) {
      const w = this.queue.shift()!;
      this.#take(w.mode);
      w.grant();
    }
  }
}

export class KeyedLocks {
  readonly #locks = new Map<string, RwLock>();

  /** Runs `fn` holding all requested locks (deduplicated: exclusive wins), released afterwards. */
  async withLocks<T>(requests: LockRequest[], fn: () => Promise<T>): Promise<T> {
    const wanted = new Map<string, LockMode>();
    for (const r of requests) if (wanted.get(r.name) !== 'exclusive') wanted.set(r.name, r.mode);
    const ordered = [...wanted].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const held: [string, LockMode][] = [];
    try {
      for (const [name, mode] of ordered) {
        let lock = this.#locks.get(name);
        if (!lock) this.#locks.set(name, (lock = new RwLock()));
        await lock.acquire(mode);
        held.push([name, mode]);
      }
      return await fn();
    } finally {
      for (const [name, mode] of held.reverse()) {
        const lock = this.#locks.get(name)!;
        lock.release(mode);
        if (lock.idle) this.#locks.delete(name);
      }
    }
  }

  /** Number of names currently locked or waited on (for tests and leak checks). */
  get size(): number {
    return this.#locks.size;
  }
}
