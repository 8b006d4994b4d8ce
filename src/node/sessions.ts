// Runs engine protocol sessions over the peer network: one party (SessionMachine) per session id,
// its outgoing messages sent to the peers of the session, incoming SessionFrames routed to it. A
// party computes its steps on this thread (presign) or elsewhere (DKG and refresh on the engine
// worker, src/node/offload); either way its steps are applied in the order the frames arrived.
// The sender of a frame is the authenticated libp2p peer; it must be the peer that holds the
// party index the frame claims, else the frame is dropped. Every session has a deadline.
// Every way a session ends becomes one NodeError naming who is to blame:
// - the engine aborts (PROTOCOL_ABORTED: check, suspect, ban, round): a ban-worthy check bans the
//   suspect through the PeerGuard, and the session only rejects once the ban is on disk; another
//   attributable deviation counts against the suspect; the other parties are told (SessionAbort)
//   so they end at once instead of at their deadline;
// - the deadline passes (TIMEOUT): the parties whose message of the current round is missing and
//   that are connected are the suspects, and each such time-out counts against them;
// - a party tells us it aborted (PEER_ABORTED): nobody is blamed for it here; frames that arrived
//   before the notice and wait behind a step computed elsewhere are applied first, so a check they
//   fail still names its culprit (a cheater's own engine may abort first, naming nobody);
// - a party gets banned or suspended meanwhile (PEER_BANNED);
// - the connection to a party closes (PEER_UNAVAILABLE, nobody blamed): at once, not at the deadline.
// A session over its protocol's limit of concurrent sessions (BUSY) or with a banned or suspended
// peer (PEER_BANNED) is refused before it starts, and its other parties are told (`refuse`: they
// must not time out on this node and blame it); an abort that arrives before a session starts here
// ends it at its start.
// Frames from banned or suspended peers are dropped. Frames for a session this node has not
// started yet (a faster peer) are buffered briefly, within per-peer limits (count and bytes);
// excess is dropped and counted (`dropped`).
import type { Logger } from '../log/logger.ts';
import type { SessionAbort, SessionFrame } from '../net/network.ts';
import type { Step } from '../tss/index.ts';
import { TssError } from '../tss/index.ts';
import { NodeError } from './api.ts';
import type { AbortSite, PeerGuard } from './guard.ts';

export interface SessionTransport {
  sendSession(peer: string, message: SessionFrame): Promise<void>;
  sendAbort(peer: string, message: SessionAbort): Promise<void>;
  isConnected(peer: string): boolean;
}

/**
 * A party of a session as the router drives it: an engine PartyMachine (src/tss), or a party whose
 * steps resolve later (one on the engine worker). `close` tells it the session ended here.
 */
export interface SessionMachine<T> {
  readonly party: number;
  readonly peers: readonly number[];
  start(): Step<T> | Promise<Step<T>>;
  receive(from: number, payload: Uint8Array): Step<T> | Promise<Step<T>>;
  /** Peers whose message for the current round has not arrived yet (empty once closed). */
  waitingFor(): number[];
  close?(): void;
}

/** One step of a party to apply; undefined when the item only ends the session (a peer's abort). */
type NextStep = () => Step<unknown> | Promise<Step<unknown>> | undefined;

/** Frames of one session held back while its party computes a step elsewhere (an honest session has < 16 x 5). */
const MAX_HELD_FRAMES = 256;

interface Running {
  machine: SessionMachine<unknown>;
  /** Set while a step is being computed elsewhere: the steps to apply after it, in order. */
  later?: NextStep[];
  peers: readonly string[]; // party index -> peer id
  partyOf: Map<string, number>;
  site: AbortSite;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export interface EarlyFrameLimits {
  /** Frames buffered per peer, over all sessions not started yet. */
  framesPerPeer: number;
  /** Bytes buffered per peer. */
  bytesPerPeer: number;
  /** Sessions with buffered frames, over all peers. */
  sessions: number;
  /** How long a buffered frame waits for its session. */
  ttlMs: number;
}

export const DEFAULT_EARLY_LIMITS: EarlyFrameLimits = { framesPerPeer: 256, bytesPerPeer: 4 * 1024 * 1024, sessions: 1024, ttlMs: 30_000 };

/**
 * Sessions of one protocol running at once on this node; one more is refused with BUSY (and its
 * other parties told, so they end at once). No queue here: parties that queue each other's
 * sessions can deadlock; the coordinator queues (src/admission) and stays below these limits.
 */
export const DEFAULT_SESSION_LIMITS: Record<string, number> = { keygen: 8, refresh: 4, presign: 48 };

type DropReason = 'blocked_peer' | 'not_a_party' | 'peer_frames' | 'peer_bytes' | 'sessions';

export class SessionRouter {
  private readonly running = new Map<string, Running>();
  private readonly early = new Map<string, { at: number; frames: { from: string; frame: SessionFrame }[]; abort?: { from: string; code: string } }>();
  private readonly earlyByPeer = new Map<string, { frames: number; bytes: number }>();
  private readonly finished = new Map<string, number>(); // session id -> time, to refuse reuse
  /** Frames dropped, by reason (for metrics and tests). */
  readonly dropped = new Map<DropReason, number>();
  private readonly dropWarned = new Map<string, number>();

  constructor(
    private readonly transport: SessionTransport,
    private readonly self: string,
    private readonly guard: PeerGuard,
    private readonly log: Logger,
    private readonly limits: EarlyFrameLimits = DEFAULT_EARLY_LIMITS,
    private readonly sessionLimits: Record<string, number> = DEFAULT_SESSION_LIMITS,
  ) {
    guard.onBlock((record) => this.endSessionsWith(record.peer, record.kind));
  }

  get active(): number {
    return this.running.size;
  }

  /** Sessions refused because their protocol was at its limit (metrics). */
  refused = 0;

  /**
   * Run `machine` as this node's party of session `id`. `peers[i]` is the peer id of party i
   * (this node included). Resolves with the output; rejects with a NodeError (see the header).
   * No session starts while a ban is being written, nor with a banned or suspended peer.
   */
  run<T>(id: Uint8Array, machine: SessionMachine<T>, peers: readonly string[], timeoutMs: number, site: Omit<AbortSite, 'session'>): Promise<T> {
    const started = performance.now();
    const pending = this.guard.settled();
    const result = pending ? pending.then(() => this.start(id, machine, peers, timeoutMs, site)) : this.start(id, machine, peers, timeoutMs, site);
    const ended = this.onSessionEnd;
    if (ended) {
      const seconds = () => (performance.now() - started) / 1000;
      result.then(
        () => ended(site.protocol, seconds()),
        (e: unknown) => ended(site.protocol, seconds(), e),
      );
    }
    return result;
  }

  /** Told when a session ends here (metrics): its protocol, its duration and its failure if any. */
  onSessionEnd?: (protocol: string, seconds: number, error?: unknown) => void;

  private start<T>(id: Uint8Array, machine: SessionMachine<T>, peers: readonly string[], timeoutMs: number, site: Omit<AbortSite, 'session'>): Promise<T> {
    const key = Buffer.from(id).toString('hex');
    if (this.running.has(key) || this.finished.has(key)) return Promise.reject(new NodeError('BAD_CALL', `session ${key.slice(0, 16)} already used`));
    if (peers[machine.party] !== this.self) return Promise.reject(new NodeError('BAD_CALL', 'this node is not the given party'));
    const others = machine.peers.map((p) => peers[p]);
    try {
      this.guard.assertUsable(others, `${site.protocol} session`);
    } catch (e) {
      this.refuse(id, machine.party, others, 'PEER_BANNED');
      return Promise.reject(e);
    }
    const early = this.early.get(key);
    if (early?.abort && peers.includes(early.abort.from)) {
      // A party ended the session before this node started it (it was busy, or failed).
      this.early.delete(key);
      this.finished.set(key, Date.now());
      return Promise.reject(new NodeError('PEER_ABORTED', `${site.protocol} session ${key.slice(0, 16)}: ${early.abort.from} aborted (${early.abort.code}) before it started here`, { peer: early.abort.from, check: early.abort.code, session: key.slice(0, 16) }));
    }
    const limit = this.sessionLimits[site.protocol];
    if (limit !== undefined && this.count(site.protocol) >= limit) {
      this.refused++;
      this.refuse(id, machine.party, others, 'BUSY');
      return Promise.reject(new NodeError('BUSY', `${limit} ${site.protocol} sessions already running on this node`, { what: site.protocol, retryAfterMs: 500 }));
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.timedOut(key, timeoutMs), timeoutMs);
      const partyOf = new Map(peers.map((p, i) => [p, i]));
      const session = { ...site, session: key.slice(0, 16) };
      const r: Running = { machine: machine as SessionMachine<unknown>, peers, partyOf, site: session, resolve: resolve as (v: unknown) => void, reject, timer };
      this.running.set(key, r);
      this.apply(key, r, () => machine.start());
      const buffered = this.takeEarly(key);
      for (const { from, frame } of buffered) this.deliver(key, from, frame);
    });
  }

  /**
   * This node will not run session `id` (as party `party`): the id is used up, and its other
   * parties (`peers`; banned or suspended ones are not told) end at once instead of timing out on
   * this node and blaming it.
   */
  refuse(id: Uint8Array, party: number, peers: readonly string[], code: string): void {
    const key = Buffer.from(id).toString('hex');
    this.finished.set(key, Date.now());
    this.takeEarly(key);
    for (const peer of peers) {
      if (peer !== this.self && !this.guard.blocked(peer)) this.transport.sendAbort(peer, { session: id, fromParty: party, abort: code }).catch(() => {});
    }
  }

  private count(protocol: string): number {
    let n = 0;
    for (const r of this.running.values()) if (r.site.protocol === protocol) n++;
    return n;
  }

  /** Entry point for every session frame and abort from the network. */
  onFrame(from: string, frame: SessionFrame | SessionAbort): void {
    if (this.guard.blocked(from)) return this.drop('blocked_peer', from);
    const key = Buffer.from(frame.session).toString('hex');
    if ('abort' in frame) return this.peerAborted(key, from, frame);
    if (this.running.has(key)) return this.deliver(key, from, frame);
    if (this.finished.has(key)) return; // late message of a finished session
    this.buffer(key, from, frame);
  }

  // --- early frames ---------------------------------------------------------------------------

  private buffer(key: string, from: string, frame: SessionFrame): void {
    this.pruneEarly();
    const used = this.earlyByPeer.get(from) ?? { frames: 0, bytes: 0 };
    if (used.frames >= this.limits.framesPerPeer) return this.drop('peer_frames', from);
    if (used.bytes + frame.payload.length > this.limits.bytesPerPeer) return this.drop('peer_bytes', from);
    let entry = this.early.get(key);
    if (!entry) {
      if (this.early.size >= this.limits.sessions) return this.drop('sessions', from);
      this.early.set(key, (entry = { at: Date.now(), frames: [] }));
    }
    entry.frames.push({ from, frame });
    this.earlyByPeer.set(from, { frames: used.frames + 1, bytes: used.bytes + frame.payload.length });
  }

  /** Remember an abort for a session not started here yet (a busy party refused it): it ends at its start. */
  private abortEarly(key: string, from: string, frame: SessionAbort): void {
    if (this.finished.has(key)) return;
    this.pruneEarly();
    let entry = this.early.get(key);
    if (!entry) {
      if (this.early.size >= this.limits.sessions) return this.drop('sessions', from);
      this.early.set(key, (entry = { at: Date.now(), frames: [] }));
    }
    entry.abort ??= { from, code: frame.abort };
  }

  private takeEarly(key: string): { from: string; frame: SessionFrame }[] {
    const entry = this.early.get(key);
    if (!entry) return [];
    this.early.delete(key);
    for (const { from, frame } of entry.frames) this.release(from, frame);
    return entry.frames;
  }

  private release(from: string, frame: SessionFrame): void {
    const used = this.earlyByPeer.get(from);
    if (!used) return;
    if (used.frames <= 1) this.earlyByPeer.delete(from);
    else this.earlyByPeer.set(from, { frames: used.frames - 1, bytes: used.bytes - frame.payload.length });
  }

  private pruneEarly(): void {
    const cutoff = Date.now() - this.limits.ttlMs;
    for (const [k, e] of this.early) {
      if (e.at >= cutoff) continue;
      this.early.delete(k);
      for (const { from, frame } of e.frames) this.release(from, frame);
    }
  }

  private drop(reason: DropReason, peer: string): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1);
    const warned = this.dropWarned.get(peer) ?? 0;
    if (Date.now() - warned > 60_000) {
      this.dropWarned.set(peer, Date.now());
      this.log.warn('dropping session frames from a peer', { peer, reason });
    }
  }

  // --- running sessions -----------------------------------------------------------------------

  private deliver(key: string, from: string, frame: SessionFrame): void {
    const r = this.running.get(key);
    if (!r) return;
    const party = r.partyOf.get(from);
    if (party === undefined || party !== frame.fromParty) return this.drop('not_a_party', from);
    // Frames held back behind a step computed elsewhere: a few rounds' worth from every peer at most.
    if ((r.later?.length ?? 0) >= MAX_HELD_FRAMES) return this.drop('peer_frames', from);
    this.apply(key, r, () => r.machine.receive(party, frame.payload));
  }

  /** Compute one step of the session's party and act on it; a step computed elsewhere holds the next ones back. */
  private apply(key: string, r: Running, next: NextStep): void {
    if (r.later) {
      r.later.push(next);
      return;
    }
    const step = next();
    if (step === undefined) return;
    if (!(step instanceof Promise)) return this.handle(key, step);
    r.later = [];
    step
      .then(
        (s) => this.handle(key, s),
        (e: Error) => this.finish(key, new NodeError('INTERNAL', `${r.site.protocol} session ${r.site.session} failed on this node: ${e.message}`, { session: r.site.session })),
      )
      .then(() => {
        const queued = r.later ?? [];
        r.later = undefined;
        for (const q of queued) if (this.running.get(key) === r) this.apply(key, r, q);
      });
  }

  private handle(key: string, step: Step<unknown>): void {
    const r = this.running.get(key);
    if (!r) return;
    if (step.status === 'aborted') return this.aborted(key, r, step.error);
    for (const m of step.messages) {
      const targets = (m.to === 'all' ? r.machine.peers : [m.to]).map((party) => r.peers[party]);
      for (const peer of targets) {
        this.transport
          .sendSession(peer, { session: Buffer.from(key, 'hex'), fromParty: r.machine.party, payload: m.payload })
          .catch((e: Error) => this.finish(key, new NodeError('PEER_UNAVAILABLE', `could not send to ${peer}: ${e.message}`, { session: r.site.session, peer })));
      }
    }
    if (step.status === 'done') this.finish(key, undefined, step.output);
  }

  /** The engine aborted: ban or count the suspect, tell the others, reject once the ban is stored. */
  private aborted(key: string, r: Running, error: TssError): void {
    const suspect = error.party === undefined ? undefined : r.peers[error.party];
    const context = {
      check: error.code,
      suspect,
      ban: error.ban && suspect !== undefined,
      round: error.round,
      session: r.site.session,
      protocol: r.site.protocol,
      keyId: r.site.keyId,
      // A provable equivocation: two round-1 messages the suspect signed (checkable with the peer ids).
      ...(error.proof && error.evidence ? { proof: Buffer.from(error.evidence).toString('hex') } : {}),
    };
    const failure = new NodeError('PROTOCOL_ABORTED', `${r.site.protocol} aborted: ${error.message}`, context);
    this.stop(key, r);
    this.tellOthers(key, r, error.code, context.ban ? suspect : undefined);
    let recorded: Promise<unknown> = Promise.resolve();
    if (suspect !== undefined && suspect !== this.self) {
      recorded = context.ban
        ? this.guard.ban({ peer: suspect, check: error.code, reason: error.message, round: error.round, message: error.evidence, ...r.site })
        : this.guard.noteAbort(suspect, error.code, r.site);
    }
    if (error.proof && suspect === undefined) {
      this.log.error('this node\'s identity key signed a round-1 message this node did not send: is the key copied to another machine?', { session: r.site.session, protocol: r.site.protocol });
    }
    this.log.warn('session aborted', { ...context, proof: context.proof !== undefined });
    recorded.then(
      () => r.reject(failure),
      () => r.reject(failure),
    );
  }

  private timedOut(key: string, timeoutMs: number): void {
    const r = this.running.get(key);
    if (!r) return;
    const silent = r.machine.waitingFor().map((p) => r.peers[p]);
    const suspects = silent.filter((peer) => this.transport.isConnected(peer));
    this.stop(key, r);
    this.tellOthers(key, r, 'TIMEOUT');
    const counted = suspects.map((peer) => this.guard.noteAbort(peer, 'TIMEOUT', r.site));
    this.log.warn('session timed out', { ...r.site, waitingFor: silent, suspects });
    const failure = new NodeError('TIMEOUT', `${r.site.protocol} session ${r.site.session} timed out after ${timeoutMs} ms waiting for ${silent.join(', ') || 'nobody'}`, {
      session: r.site.session,
      protocol: r.site.protocol,
      suspects,
      waitingFor: silent,
    });
    Promise.allSettled(counted).then(() => r.reject(failure));
  }

  private peerAborted(key: string, from: string, frame: SessionAbort): void {
    const r = this.running.get(key);
    if (!r) return this.abortEarly(key, from, frame);
    if (r.partyOf.get(from) !== frame.fromParty) return;
    const end = () => this.finish(key, new NodeError('PEER_ABORTED', `${r.site.protocol} session ${r.site.session}: ${from} aborted (${frame.abort})`, { peer: from, check: frame.abort, session: r.site.session }));
    // Frames held behind a step computed elsewhere arrived first: apply them, then end.
    if (r.later) r.later.push(() => (end(), undefined));
    else end();
  }

  /**
   * The connection to a peer closed: the frames in flight to and from it are lost, so every
   * session with it ends now (PEER_UNAVAILABLE, nobody blamed) instead of at its deadline, and the
   * other parties are told so that they end too.
   */
  peerLost(peer: string): void {
    for (const [key, r] of this.running) {
      if (!r.partyOf.has(peer) || peer === this.self) continue;
      this.tellOthers(key, r, 'PEER_UNAVAILABLE', peer);
      this.finish(key, new NodeError('PEER_UNAVAILABLE', `${r.site.protocol} session ${r.site.session} ended: connection to ${peer} closed`, { peer, session: r.site.session }));
    }
  }

  /** A peer was banned or suspended (here or in another session): end every session with it. */
  private endSessionsWith(peer: string, kind: string): void {
    for (const [key, r] of this.running) {
      if (!r.partyOf.has(peer) || peer === this.self) continue;
      this.tellOthers(key, r, 'PEER_BANNED', peer);
      this.finish(key, new NodeError('PEER_BANNED', `${r.site.protocol} session ${r.site.session} ended: ${peer} is ${kind}`, { peer, kind, session: r.site.session }));
    }
  }

  /** Send a SessionAbort to every other party of the session but `except`. */
  private tellOthers(key: string, r: Running, code: string, except?: string): void {
    for (const party of r.machine.peers) {
      const peer = r.peers[party];
      if (peer === except) continue;
      this.transport.sendAbort(peer, { session: Buffer.from(key, 'hex'), fromParty: r.machine.party, abort: code }).catch(() => {});
    }
  }

  private stop(key: string, r: Running): void {
    this.running.delete(key);
    r.machine.close?.();
    clearTimeout(r.timer);
    this.finished.set(key, Date.now());
    if (this.finished.size > 10_000) {
      const cutoff = Date.now() - 3_600_000;
      for (const [k, at] of this.finished) if (at < cutoff) this.finished.delete(k);
    }
  }

  private finish(key: string, error?: Error, output?: unknown): void {
    const r = this.running.get(key);
    if (!r) return;
    this.stop(key, r);
    if (error) r.reject(error);
    else r.resolve(output);
  }
}
