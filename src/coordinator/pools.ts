// Presignature pools, as the coordinator sees them: for each key and signer set, the presignatures
// that every signer of the set holds, each with every signer's public values (the combiner checks
// a partial signature against them and so names a signer whose partial is wrong). Kept full in the background (target depth per
// set, for the first `sets` signer sets whose nodes are all up, this node's sets first) with a small
// number of concurrent presign sessions. Online signing takes presignatures from here; an empty
// pool means the caller presigns on demand. The nodes are the source of truth: `rebuild` re-reads
// their pools. Only signer sets of usable peers (live, not excluded by the coordinator) are filled
// or taken from.
// Priority: refilling yields to online work. It starts new presign sessions only when the
// coordinator has been idle for a moment (`isIdle`), unless a pool has fallen to its low-water
// mark, where it refills regardless so that sustained load does not drain it for good.
import type { Logger } from '../log/logger.ts';
import type { PresignPublicValues } from '../tss/index.ts';

export interface PoolKey {
  keyId: string;
  threshold: number;
  /** Peer id of each party, in party order. */
  parties: string[];
  /** The generation in use (presign calls carry it: a node holding another refuses). */
  generation?: string;
}

/** A presignature every signer of its set holds: its nonce point R and each signer's public values. */
export interface Pooled {
  id: string;
  noncePoint: Uint8Array;
  publicValues: Map<number, PresignPublicValues>;
}

export interface PoolBackend {
  /** True when the peer may be put in a signer set now. */
  usable(peer: string): boolean;
  /** Run one presign session for the signer set. */
  presign(key: PoolKey, signers: number[]): Promise<Pooled>;
  listPresignatures(peer: string, keyId: string): Promise<{ id: string; signers: number[]; noncePoint?: Uint8Array; publicValues?: PresignPublicValues }[]>;
  /** True when the signers' public values are consistent (sums check); others are not pooled. */
  consistent(values: Map<number, PresignPublicValues>): boolean;
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
  ready: Pooled[];
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

  /** Start pools for the key; a key whose generation, parties or threshold changed starts over. */
  track(key: PoolKey): void {
    if (this.changed(key)) this.keys.set(key.keyId, { key, pools: new Map() });
  }

  /** True when the key is not tracked, or tracked with another generation, parties or threshold. */
  changed(key: PoolKey): boolean {
    const known = this.keys.get(key.keyId)?.key;
    return !known || known.generation !== key.generation || known.threshold !== key.threshold || known.parties.join() !== key.parties.join();
  }

  add(keyId: string, signers: number[], p: Pooled): void {
    const pool = this.pool(keyId, signers);
    if (pool && !pool.ready.some((q) => q.id === p.id)) pool.ready.push(p);
  }

  /** Take a presignature whose signers are all usable (largest pool first), or undefined. */
  take(keyId: string, exclude: ReadonlySet<string> = new Set()): (Pooled & { signers: number[] }) | undefined {
    const entry = this.keys.get(keyId);
    if (!entry) return undefined;
    let best: Pool | undefined;
    for (const p of entry.pools.values()) {
      if (p.ready.length === 0 || !this.usable(entry.key, p.signers, exclude)) continue;
      if (!best || p.ready.length > best.ready.length) best = p;
    }
    const p = best?.ready.shift();
    return best && p ? { signers: best.signers, ...p } : undefined;
  }

  /** The signer sets to keep filled: up to `sets` sets of usable parties, those with this node first. */
  preferredSets(key: PoolKey, exclude: ReadonlySet<string> = new Set(), limit = this.o.sets, usable: (peer: string) => boolean = this.backend.usable): number[][] {
    const self = key.parties.indexOf(this.o.self);
    const all = combinations(key.parties.length, key.threshold).filter((s) => s.every((i) => !exclude.has(key.parties[i]) && usable(key.parties[i])));
    all.sort((a, b) => Number(b.includes(self)) - Number(a.includes(self)));
    return all.slice(0, limit);
  }

  status(keyId: string): { signers: number[]; available: number; target: number }[] {
    const entry = this.keys.get(keyId);
    if (!entry) return [];
    const preferred = new Set(this.preferredSets(entry.key).map(setKey));
    for (const s of preferred) this.pool(keyId, s.split(',').map(Number));
    return [...entry.pools.values()].map((p) => ({ signers: p.signers, available: p.ready.length, target: preferred.has(setKey(p.signers)) ? this.o.depth : 0 }));
  }

  /** The keys whose pools are kept (the keys in use since the coordinator started). */
  keysInUse(): PoolKey[] {
    return [...this.keys.values()].map((e) => e.key);
  }

  /**
   * Presignatures ready and the depth kept, summed over the tracked keys, per signer set (its
   * parties' peer ids, sorted): the pools to keep filled and every pool that still holds some.
   */
  depths(): { signers: string; available: number; target: number }[] {
    const bySet = new Map<string, { signers: string; available: number; target: number }>();
    for (const { key, pools } of this.keys.values()) {
      const preferred = new Set(this.preferredSets(key).map(setKey));
      const sets = new Set([...preferred, ...[...pools.values()].filter((p) => p.ready.length > 0).map((p) => setKey(p.signers))]);
      for (const set of sets) {
        const signers = set.split(',').map((i) => key.parties[Number(i)]).sort().join(',');
        const entry = bySet.get(signers) ?? { signers, available: 0, target: 0 };
        entry.available += pools.get(set)?.ready.length ?? 0;
        if (preferred.has(set)) entry.target += this.o.depth;
        bySet.set(signers, entry);
      }
    }
    return [...bySet.values()];
  }

  /** Re-read the pools from the nodes: a presignature counts when every signer of its set still holds it. */
  async rebuild(key: PoolKey): Promise<void> {
    this.track(key);
    const held = new Map<string, { signers: number[]; noncePoints: Set<string>; values: Map<number, PresignPublicValues> }>();
    await Promise.all(
      key.parties.map(async (peer, party) => {
        if (!this.backend.usable(peer)) return;
        try {
          for (const p of await this.backend.listPresignatures(peer, key.keyId)) {
            const h = held.get(p.id) ?? { signers: p.signers, noncePoints: new Set(), values: new Map() };
            if (p.publicValues && p.noncePoint && p.signers.includes(party)) {
              h.values.set(party, p.publicValues);
              h.noncePoints.add(Buffer.from(p.noncePoint).toString('hex'));
            }
            held.set(p.id, h);
          }
        } catch (e) {
          this.log.warn('could not read a presignature pool', { peer, keyId: key.keyId, error: (e as Error).message });
        }
      }),
    );
    // Replace the presignatures of each pool, keeping the pool objects (refills in flight still land in them).
    const entry = this.keys.get(key.keyId)!;
    for (const pool of entry.pools.values()) pool.ready = [];
    for (const [id, h] of held) {
      // Every signer holds it, they agree on R, and their public values add up.
      if (h.values.size !== h.signers.length || h.noncePoints.size !== 1 || !this.backend.consistent(h.values)) continue;
      this.add(key.keyId, h.signers, { id, noncePoint: new Uint8Array(Buffer.from([...h.noncePoints][0], 'hex')), publicValues: h.values });
    }
  }

  private usable(key: PoolKey, signers: readonly number[], exclude: ReadonlySet<string>): boolean {
    return signers.every((i) => !exclude.has(key.parties[i]) && this.backend.usable(key.parties[i]));
  }

  private pool(keyId: string, signers: number[]): Pool | undefined {
    const entry = this.keys.get(keyId);
    if (!entry) return undefined;
    const k = setKey(signers);
    let p = entry.pools.get(k);
    if (!p) entry.pools.set(k, (p = { signers, ready: [], refilling: 0, failures: 0, retryAt: 0 }));
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
        if ((!idle && pool.ready.length > this.o.lowWater) || now < pool.retryAt) continue;
        if (pool.ready.length + pool.refilling < this.o.depth) wanting.push({ key, signers, pool });
      }
    }
    const level = (w: (typeof wanting)[number]) => w.pool.ready.length + w.pool.refilling;
    while (this.running < this.o.concurrency && wanting.length > 0) {
      wanting.sort((a, b) => level(a) - level(b));
      const { key, signers, pool } = wanting[0];
      this.running++;
      pool.refilling++;
      this.backend
        .presign(key, signers)
        .then((p) => {
          // A re-read of the nodes' pools (rebuild) may have added it meanwhile: one entry per presignature.
          if (!pool.ready.some((q) => q.id === p.id)) pool.ready.push(p);
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
