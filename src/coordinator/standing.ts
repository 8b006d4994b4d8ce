// The coordinator's view of which peers it may schedule. A peer is left out of every signer set
// (keyGen, presigning, signing, refresh) once any node has banned or suspended it, or any node
// (or this coordinator, for a wrong partial signature) has blamed it for a deviation. Sources:
// - error replies: a node's PROTOCOL_ABORTED names the suspect and whether it banned it; the
//   blame is stored durably on this coordinator's own node (`recordBlame`) before anything else;
// - every node's own list of bans, suspensions and blames, read in the background (`refresh`), so
//   bans that came from a peer attacking a node directly, and everything after a restart, are seen;
// - short cool-downs (not blame): a peer a node timed out on while it was connected, or that could
//   not be reached, is avoided for COOLDOWN_MS when another signer set will do, so requests do not
//   wait on it again and again.
// Nothing a node reports is transferable proof, so a lying node could blame an honest one. An
// accusation only counts when its accuser is not excluded itself: peers are considered most-accused
// first (a ban before a blame, then by peer id), and each is excluded when an accuser that is still
// in good standing remains. A cheater accused by several honest nodes cannot get one of them
// excluded by accusing it back; a lone liar can still cost availability (never a key), and the
// operator sees who accused whom in dan_nodes.
import type { PeerStanding } from '../rpc/index.ts';
import type { PeerRecord } from '../store/index.ts';
import { DanError } from '../errors/index.ts';
import { NetError } from '../net/errors.ts';

const COOLDOWN_MS = 60_000;

export interface AbortCount {
  protocol: string;
  reason: string;
  suspect: string;
  count: number;
}

export interface StandingOptions {
  self: string;
  /** Store a blame on this coordinator's own node (fsynced). */
  recordBlame(record: Omit<PeerRecord, 'kind'>): Promise<unknown>;
  log: { error(m: string, meta?: Record<string, unknown>): void; warn(m: string, meta?: Record<string, unknown>): void };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string') : []);

export class PeerStandings {
  /** Records by peer, then by `holder/by` (the node that stores it, and the node that decided or reported). */
  private readonly records = new Map<string, Map<string, PeerRecord>>();
  /** Peers excluded by credible records (recomputed when records change). */
  private excludedPeers = new Set<string>();
  private readonly cooldown = new Map<string, number>();
  private readonly aborts = new Map<string, AbortCount>();

  constructor(private readonly o: StandingOptions) {}

  /** True when the coordinator must not put `peer` in a signer set (a credible record against it). */
  excluded(peer: string): boolean {
    return this.excludedPeers.has(peer);
  }

  /** True while `peer` cools down after a time-out: avoided when another signer set will do. */
  coolingDown(peer: string): boolean {
    const until = this.cooldown.get(peer);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    this.cooldown.delete(peer);
    return false;
  }

  /** True when some node holds a ban or suspension of `peer` (the dan_peer_banned metric). */
  banned(peer: string): boolean {
    return [...(this.records.get(peer)?.values() ?? [])].some((r) => r.kind !== 'blamed');
  }

  /** Every record against `peer`, for dan_nodes. */
  standing(peer: string): PeerStanding[] {
    return [...(this.records.get(peer)?.values() ?? [])].map((r) => ({
      kind: r.kind,
      by: r.by,
      check: r.check,
      reason: r.reason,
      since: Math.floor(r.since / 1000),
      ...(r.keyId ? { keyId: r.keyId } : {}),
      ...(r.session ? { session: r.session } : {}),
    }));
  }

  /** The strongest record kind against `peer`, if any. */
  kind(peer: string): PeerRecord['kind'] | undefined {
    const kinds = [...(this.records.get(peer)?.values() ?? [])].map((r) => r.kind);
    return kinds.includes('banned') ? 'banned' : kinds.includes('suspended') ? 'suspended' : kinds[0];
  }

  /** Aborts reported to this coordinator, by protocol, reason and suspect. */
  abortCounts(): AbortCount[] {
    return [...this.aborts.values()];
  }

  /** Replace what `node` holds (its answer to node.peerRecords). */
  update(node: string, records: PeerRecord[]): void {
    for (const byHolder of this.records.values()) for (const key of [...byHolder.keys()]) if (key.startsWith(`${node}/`)) byHolder.delete(key);
    for (const r of records) this.add(node, r);
    for (const [peer, byHolder] of this.records) if (byHolder.size === 0) this.records.delete(peer);
    this.recompute();
  }

  /**
   * Learn from a failed call to `node`: a protocol abort naming a suspect is recorded (a ban as
   * the node reported it, anything else as a blame stored on this coordinator's node before this
   * resolves); a time-out or an unreachable peer starts a cool-down. Returns the peers to leave
   * out of the request that failed.
   */
  async report(node: string, e: unknown): Promise<string[]> {
    if (!(e instanceof DanError)) return [];
    const c = e.context;
    const protocol = str(c.protocol) ?? 'unknown';
    switch (e.code) {
      case 'TIMEOUT':
      case 'PEER_UNAVAILABLE': {
        // Our own call to `node` got no answer (NetError); or the node's session timed out (naming
        // the silent peers) or could not reach a peer.
        const suspects = strings(c.suspects);
        for (const p of suspects) this.count(protocol, 'TIMEOUT', p);
        const named = e instanceof NetError ? [str(c.peer) ?? node] : [...suspects, ...strings(c.waitingFor), ...strings([c.peer])];
        for (const p of named) this.cooldown.set(p, Date.now() + COOLDOWN_MS);
        return [...new Set(named)];
      }
      case 'PEER_BANNED':
        return strings([c.peer]);
      case 'PROTOCOL_ABORTED': {
        const suspect = str(c.suspect);
        if (!suspect || suspect === node) return [];
        const check = str(c.check) ?? e.code;
        this.count(protocol, check, suspect);
        await this.record({
          peer: suspect,
          kind: c.ban === true ? 'banned' : 'blamed',
          by: node,
          since: Date.now(),
          check,
          reason: e.message,
          protocol,
          ...(str(c.session) ? { session: str(c.session) } : {}),
          ...(str(c.keyId) ? { keyId: str(c.keyId) } : {}),
          ...(typeof c.round === 'number' ? { round: c.round } : {}),
        });
        return [suspect];
      }
      default:
        return [];
    }
  }

  /**
   * Record a finding: a ban a node reported (held by that node), or a blame (held by this
   * coordinator's node, stored there durably).
   */
  async record(r: PeerRecord): Promise<void> {
    this.add(r.kind === 'blamed' ? this.o.self : r.by, r);
    this.o.log.error('peer excluded from signer sets', { peer: r.peer, by: r.by, kind: r.kind, check: r.check, session: r.session, keyId: r.keyId });
    if (r.kind === 'blamed') {
      const { kind: _kind, ...blame } = r;
      await this.o.recordBlame(blame).catch((err: Error) => this.o.log.error('could not store a blame', { peer: r.peer, error: err.message }));
    }
  }

  /** Add a record held by `holder` (one per peer, holder and accuser). */
  private add(holder: string, r: PeerRecord): void {
    if (r.peer === r.by) return; // nobody accuses itself
    let byHolder = this.records.get(r.peer);
    if (!byHolder) this.records.set(r.peer, (byHolder = new Map()));
    const key = `${holder}/${r.by}`;
    const old = byHolder.get(key);
    if (!old || old.kind === 'blamed') byHolder.set(key, r);
    this.recompute();
  }

  /** Most-accused first; a peer is excluded when one of its accusers is not excluded itself. */
  private recompute(): void {
    const accused = [...this.records].map(([peer, byHolder]) => ({
      peer,
      accusers: [...new Set([...byHolder.values()].map((r) => r.by))],
      banned: [...byHolder.values()].some((r) => r.kind !== 'blamed'),
    }));
    accused.sort((a, b) => b.accusers.length - a.accusers.length || Number(b.banned) - Number(a.banned) || (a.peer < b.peer ? -1 : 1));
    const excluded = new Set<string>();
    for (const a of accused) if (a.accusers.some((h) => !excluded.has(h))) excluded.add(a.peer);
    this.excludedPeers = excluded;
  }

  private count(protocol: string, reason: string, suspect: string): void {
    const key = `${protocol}\u0000${reason}\u0000${suspect}`;
    const entry = this.aborts.get(key) ?? { protocol, reason, suspect, count: 0 };
    entry.count++;
    this.aborts.set(key, entry);
  }
}
