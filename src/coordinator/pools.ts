// Presignature pools, as the coordinator sees them: for each key and signer set, the ids of
// presignatures that every signer of the set holds. Kept full in the background (target depth per
// set, for the first `sets` signer sets whose nodes are all up, this node's sets first) with a small
// number of concurrent presign sessions. Online signing takes ids from here; an empty pool means
// the caller presigns on demand. The nodes are the source of truth: `rebuild` re-reads their pools.
// Priority: refilling yields to online work. It starts new presign sessions only when the
// coordinator has been idle for a moment (`isIdle`), unless a pool has fallen to its low-water
// mark, where it refills regardless so that sustained load does not drain it for good.
import type { Logger } from '../log/logger.ts';

export interface PoolKey {
  keyId: string;
  threshold: number;
  /** Peer id of each party, in party order. */
  parties: string[];
}

export interface PoolBackend {
  isLive(peer: string): boolean;
  /** Run one presign session for the signer set; resolves with the presignature id. */
  presign(key: PoolKey, signers: number[]): Promise<string>;
  listPresignatures(peer: string, keyId: string): Promise<{ id: string; signers: number[] }[]>;
}

export interface PoolOptions {
  self: string;
  depth: number;
  sets: number;
  concurrency: number;
  /** Refill even under online load when a pool holds this many or fewer presignatures. */
  lowWater: number;
  /** True when no online request is running or finished very recently. */
  isIdle(): boolean;
}

interface Pool {
  signers: number[];
  ids: string[];
  refilling: number;
  /** Consecutive refill failures, and no refill before this time (per pool: a set with a bad node backs off alone). */
  failures: number;
  retryAt: number;
}

const setKey = (signers: readonly number[]) => signers.join(',');
const RESYNC_MS = 5_000;
/** Keys re-read at once during a resync. */
const RESYNC_PARALLEL = 8;

/** All k-subsets of [0, n) in lexicographic order. */
function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const walk = (start: number, acc: number[]) => {
    if (acc.length === k) return void out.push(acc);
    for (let i = start; i < n; i++) walk(i + 1, [...acc, i]);
  };
  walk(0, []);
  return out;
}

export class PresignPools {
  private readonly keys = new Map<string, { key: PoolKey; pools: Map<string, Pool> }>();
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private nextResync = 0;
  private resyncing = false;

  constructor(
    private readonly backend: PoolBackend,
    private readonly o: PoolOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.refill(), 100);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  track(key: PoolKey): void {
    if (!this.keys.has(key.keyId)) this.keys.set(key.keyId, { key, pools: new Map() });
  }

  tracked(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  add(keyId: string, signers: number[], id: string): void {
    const pool = this.pool(keyId, signers);
    if (pool && !pool.ids.includes(id)) pool.ids.push(id);
  }

  /** Take a presignature whose signers are all up (largest pool first), or undefined. */
  take(keyId: string, exclude: ReadonlySet<string> = new Set()): { signers: number[]; id: string } | undefined {
    const entry = this.keys.get(keyId);
    if (!entry) return undefined;
    let best: Pool | undefined;
    for (const p of entry.pools.values()) {
      if (p.ids.length === 0 || !this.usable(entry.key, p.signers, exclude)) continue;
      if (!best || p.ids.length > best.ids.length) best = p;
    }
    const id = best?.ids.shift();
    return best && id ? { signers: best.signers, id } : undefined;
  }

  /** The signer sets to keep filled: up to `sets` sets of live parties, those with this node first. */
  preferredSets(key: PoolKey, exclude: ReadonlySet<string> = new Set(), limit = this.o.sets): number[][] {
    const self = key.parties.indexOf(this.o.self);
    const all = combinations(key.parties.length, key.threshold).filter((s) => this.usable(key, s, exclude));
    all.sort((a, b) => Number(b.includes(self)) - Number(a.includes(self)));
    return all.slice(0, limit);
  }

  status(keyId: string): { signers: number[]; available: number; target: number }[] {
    const entry = this.keys.get(keyId);
    if (!entry) return [];
    const preferred = new Set(this.preferredSets(entry.key).map(setKey));
    for (const s of preferred) this.pool(keyId, s.split(',').map(Number));
    return [...entry.pools.values()].map((p) => ({ signers: p.signers, available: p.ids.length, target: preferred.has(setKey(p.signers)) ? this.o.depth : 0 }));
  }

  /** Re-read the pools from the nodes: an id counts when every signer of its set still holds it. */
  async rebuild(key: PoolKey): Promise<void> {
    this.track(key);
    const held = new Map<string, { signers: number[]; holders: number }>();
    await Promise.all(
      key.parties.map(async (peer) => {
        if (!this.backend.isLive(peer)) return;
        try {
          for (const p of await this.backend.listPresignatures(peer, key.keyId)) {
            const h = held.get(p.id) ?? { signers: p.signers, holders: 0 };
            h.holders++;
            held.set(p.id, h);
          }
        } catch (e) {
          this.log.warn('could not read a presignature pool', { peer, keyId: key.keyId, error: (e as Error).message });
        }
      }),
    );
    // Replace the ids of each pool, keeping the pool objects (refills in flight still land in them).
    const entry = this.keys.get(key.keyId)!;
    for (const pool of entry.pools.values()) pool.ids = [];
    for (const [id, h] of held) if (h.holders === h.signers.length) this.add(key.keyId, h.signers, id);
  }

  private usable(key: PoolKey, signers: readonly number[], exclude: ReadonlySet<string>): boolean {
    return signers.every((i) => !exclude.has(key.parties[i]) && this.backend.isLive(key.parties[i]));
  }

  private pool(keyId: string, signers: number[]): Pool | undefined {
    const entry = this.keys.get(keyId);
    if (!entry) return undefined;
    const k = setKey(signers);
    let p = entry.pools.get(k);
    if (!p) entry.pools.set(k, (p = { signers, ids: [], refilling: 0, failures: 0, retryAt: 0 }));
    return p;
  }

  private refill(): void {
    const idle = this.o.isIdle();
    const now = Date.now();
    // When idle, re-read the nodes' pools now and then: presignatures may be used or lost behind
    // this coordinator's back (another coordinator, a restored node), and a stale count stops refills.
    if (idle && !this.resyncing && now >= this.nextResync && this.keys.size > 0) {
      this.resyncing = true;
      this.nextResync = now + RESYNC_MS;
      // A few keys at a time: a peer that is connected but does not answer costs its time-out
      // once per batch, not once per key.
      (async () => {
        const keys = [...this.keys.values()].map((e) => e.key);
        for (let i = 0; i < keys.length; i += RESYNC_PARALLEL) await Promise.all(keys.slice(i, i + RESYNC_PARALLEL).map((k) => this.rebuild(k)));
      })().finally(() => (this.resyncing = false));
    }
    // Every pool below its depth, emptiest first, so that no key or signer set waits for the others.
    const wanting: { key: PoolKey; signers: number[]; pool: Pool }[] = [];
    for (const { key } of this.keys.values()) {
      for (const signers of this.preferredSets(key)) {
        const pool = this.pool(key.keyId, signers)!;
        if ((!idle && pool.ids.length > this.o.lowWater) || now < pool.retryAt) continue;
        if (pool.ids.length + pool.refilling < this.o.depth) wanting.push({ key, signers, pool });
      }
    }
    const level = (w: (typeof wanting)[number]) => w.pool.ids.length + w.pool.refilling;
    while (this.running < this.o.concurrency && wanting.length > 0) {
      wanting.sort((a, b) => level(a) - level(b));
      const { key, signers, pool } = wanting[0];
      this.running++;
      pool.refilling++;
      this.backend
        .presign(key, signers)
        .then((id) => {
          pool.ids.push(id);
          pool.failures = 0;
        })
        .catch((e: Error) => {
          pool.failures++;
          pool.retryAt = Date.now() + Math.min(10_000, 250 * 2 ** pool.failures);
          this.log.warn('pool refill failed', { keyId: key.keyId, signers, error: e.message, retryInMs: pool.retryAt - Date.now() });
        })
        .finally(() => {
          this.running--;
          pool.refilling--;
        });
      if (level(wanting[0]) >= this.o.depth) wanting.shift();
    }
  }
}
