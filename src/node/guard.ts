// Which peers this node still works with. A session that aborts on a check whose failure may leak
// this node's secrets (a selective-failure probe: SoftSpoken, RVOLE, PPRF, the two Gamma checks)
// bans the peer it names at once and for good: in memory before anything else happens (new
// sessions with it are refused, running ones end), durably (fsynced, with the evidence) before the
// node replies to anyone. Other attributable aborts, and time-outs while the peer is connected, are
// counted per peer; more than `maxAbortsPerHour` in an hour suspend the peer until an operator
// lifts it: no retry loop can turn aborts into an oracle.
// Blames (a deviation another node reported to this node's coordinator) are kept in the same list
// for the coordinator's scheduling; they do not stop this node working with the peer.
// Assumes: one guard per node process, loaded from the store before the node serves anything.
import { createHash } from 'node:crypto';
import type { Logger } from '../log/logger.ts';
import type { AbortEntry, NodeStore, PeerRecord } from '../store/index.ts';
import { NodeError } from './api.ts';

/** Largest evidence message kept as a copy (larger ones keep their hash and size only). */
const EVIDENCE_COPY_BYTES = 64 * 1024;
const HOUR_MS = 3_600_000;

/** Where an abort happened, for the evidence and the logs. */
export interface AbortSite {
  keyId?: string;
  protocol: string;
  session: string;
}

export interface BanEvidence extends AbortSite {
  peer: string;
  check: string;
  reason: string;
  round?: number;
  message?: Uint8Array;
}

export interface PeerGuardOptions {
  self: string;
  store: NodeStore;
  /** Aborted sessions a peer may cause per hour before it is suspended. */
  maxAbortsPerHour: number;
  log: Logger;
}

export class PeerGuard {
  /** This node's own bans and suspensions, by peer. */
  private readonly own = new Map<string, PeerRecord>();
  /** Blames recorded by this node's coordinator role, by `peer/by`. */
  private readonly blames = new Map<string, PeerRecord>();
  private readonly listeners: ((record: PeerRecord) => void)[] = [];
  private readonly liftListeners: ((keys: string[]) => void)[] = [];
  /** Bans and suspensions not yet on disk, by peer. */
  private readonly writes = new Map<string, Promise<PeerRecord>>();
  /** Aborted sessions put on each peer since start, by `peer/check` (metrics). */
  private readonly aborts = new Map<string, number>();

  private constructor(private readonly o: PeerGuardOptions) {}

  static async load(o: PeerGuardOptions): Promise<PeerGuard> {
    const guard = new PeerGuard(o);
    for (const r of await o.store.listPeerRecords()) {
      if (r.kind === 'blamed') guard.blames.set(`${r.peer}/${r.by}`, r);
      else if (r.by === o.self) guard.own.set(r.peer, r);
    }
    return guard;
  }

  private countAbort(peer: string, check: string): void {
    const key = `${peer}/${check}`;
    this.aborts.set(key, (this.aborts.get(key) ?? 0) + 1);
  }

  /** Called (synchronously) when a peer becomes banned or suspended. */
  onBlock(listener: (record: PeerRecord) => void): void {
    this.listeners.push(listener);
  }

  /** The ban or suspension in force on `peer`, if any. */
  blocked(peer: string): PeerRecord | undefined {
    return this.own.get(peer);
  }

  /** This node's own bans and suspensions in force. */
  blockedPeers(): PeerRecord[] {
    return [...this.own.values()];
  }

  /** Aborted sessions put on each peer since start (bans included), by `peer/check`. */
  abortCounts(): ReadonlyMap<string, number> {
    return this.aborts;
  }

  /** Every record (bans, suspensions, blames), for operators and the coordinator. */
  list(): PeerRecord[] {
    return [...this.own.values(), ...this.blames.values()];
  }

  /** Refuse work that involves a banned or suspended peer (PEER_BANNED naming it). */
  assertUsable(peers: readonly string[], what: string): void {
    for (const peer of peers) {
      const r = this.blocked(peer);
      if (r) throw new NodeError('PEER_BANNED', `${what}: peer ${peer} is ${r.kind} by this node since ${new Date(r.since).toISOString()} (${r.check})`, { peer, kind: r.kind, check: r.check });
    }
  }

  /** Resolves once every ban and suspension decided so far is on disk; undefined when all are. */
  settled(): Promise<unknown> | undefined {
    return this.writes.size > 0 ? Promise.allSettled(this.writes.values()) : undefined;
  }

  /**
   * Ban `peer` now (in memory, listeners told), and durably: the promise resolves once the record
   * with its evidence is fsynced. A second ban keeps the first evidence.
   */
  ban(e: BanEvidence): Promise<PeerRecord> {
    this.countAbort(e.peer, e.check);
    const existing = this.own.get(e.peer);
    if (existing?.kind === 'banned') return this.writes.get(e.peer) ?? Promise.resolve(existing);
    const message = e.message;
    const record: PeerRecord = {
      peer: e.peer,
      kind: 'banned',
      by: this.o.self,
      since: Date.now(),
      check: e.check,
      reason: e.reason,
      protocol: e.protocol,
      session: e.session,
      ...(e.keyId ? { keyId: e.keyId } : {}),
      ...(e.round !== undefined ? { round: e.round } : {}),
      ...(message
        ? {
            evidence: {
              sha256: createHash('sha256').update(message).digest('hex'),
              bytes: message.length,
              ...(message.length <= EVIDENCE_COPY_BYTES ? { copy: Buffer.from(message).toString('hex') } : {}),
            },
          }
        : {}),
    };
    this.o.log.error('peer banned', { peer: e.peer, check: e.check, reason: e.reason, keyId: e.keyId, protocol: e.protocol, session: e.session, round: e.round, evidenceSha256: record.evidence?.sha256, evidenceBytes: record.evidence?.bytes });
    return this.block(record);
  }

  /**
   * Count an aborted session the peer caused (an attributable deviation that does not ban, or a
   * time-out while it was connected). Resolves with the suspension if this one went over the limit.
   */
  async noteAbort(peer: string, code: string, site: AbortSite): Promise<PeerRecord | undefined> {
    if (this.blocked(peer)) return undefined;
    this.countAbort(peer, code);
    const recent = await this.o.store.recordAbort(peer, { at: Date.now(), code, session: site.session }, HOUR_MS);
    this.o.log.warn('peer aborted a session', { peer, code, protocol: site.protocol, session: site.session, keyId: site.keyId, lastHour: recent.length, limit: this.o.maxAbortsPerHour });
    if (recent.length <= this.o.maxAbortsPerHour || this.blocked(peer)) return undefined;
    const record: PeerRecord = {
      peer,
      kind: 'suspended',
      by: this.o.self,
      since: Date.now(),
      check: 'ABORT_LIMIT',
      reason: `${recent.length} aborted sessions in the last hour (limit ${this.o.maxAbortsPerHour}); an operator must lift it`,
      aborts: recent.slice(-32) as AbortEntry[],
    };
    this.o.log.error('peer suspended', { peer, aborts: recent.length, limit: this.o.maxAbortsPerHour });
    return this.block(record);
  }

  /** Record a deviation a node reported to this node's coordinator (or that it found itself); fsynced. */
  async blame(record: Omit<PeerRecord, 'kind'>): Promise<PeerRecord> {
    const key = `${record.peer}/${record.by}`;
    const known = this.blames.get(key);
    if (known) return known;
    const blamed: PeerRecord = { ...record, kind: 'blamed' };
    this.blames.set(key, blamed); // listed at once, before the write completes
    return this.o.store.putPeerRecord(blamed);
  }

  /** Lift everything recorded against `peer` (see NodeStore.liftPeerRecord for what a lifted ban leaves). */
  async lift(peer: string): Promise<{ lifted: PeerRecord[]; keys: string[] }> {
    const result = await this.o.store.liftPeerRecord(peer);
    this.own.delete(peer);
    for (const key of [...this.blames.keys()]) if (key.startsWith(`${peer}/`)) this.blames.delete(key);
    if (result.lifted.length) this.o.log.warn('peer records lifted', { peer, kinds: result.lifted.map((r) => r.kind), keysNeedingRefresh: result.keys.length });
    for (const l of this.liftListeners) l(result.keys);
    return result;
  }

  /** Be told which keys a lift marked as needing a refresh (their records changed on disk). */
  onLift(listener: (keys: string[]) => void): void {
    this.liftListeners.push(listener);
  }

  private block(record: PeerRecord): Promise<PeerRecord> {
    this.own.set(record.peer, record);
    for (const l of this.listeners) l(record);
    const written = this.o.store.putPeerRecord(record).finally(() => {
      if (this.writes.get(record.peer) === written) this.writes.delete(record.peer);
    });
    this.writes.set(record.peer, written);
    written.catch((e: Error) => this.o.log.error('could not store a peer record: it holds until this process stops', { peer: record.peer, error: e.message }));
    return written;
  }
}
