// Runs engine protocol sessions over the peer network: one PartyMachine per session id, its
// outgoing messages sent to the peers of the session, incoming SessionFrames routed to it.
// The sender of a frame is the authenticated libp2p peer; it must be the peer that holds the
// party index the frame claims, else the frame is dropped. Frames for a session this node has not
// started yet (a faster peer) are buffered briefly, within limits. Every session has a deadline.
import type { Logger } from '../log/logger.ts';
import type { SessionFrame } from '../net/network.ts';
import type { PartyMachine, Step } from '../tss/index.ts';
import { TssError } from '../tss/index.ts';

export interface SessionTransport {
  sendSession(peer: string, message: SessionFrame): Promise<void>;
}

export class SessionTimeoutError extends Error {
  override readonly name = 'SessionTimeoutError';
  readonly code = 'SESSION_TIMEOUT';
}

interface Running {
  machine: PartyMachine<unknown>;
  peers: readonly string[]; // party index -> peer id
  partyOf: Map<string, number>;
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

const MAX_EARLY_SESSIONS = 256;
const MAX_EARLY_FRAMES = 64;
const EARLY_TTL_MS = 30_000;

export class SessionRouter {
  private readonly running = new Map<string, Running>();
  private readonly early = new Map<string, { at: number; frames: [string, SessionFrame][] }>();
  private readonly finished = new Map<string, number>(); // session id -> time, to refuse reuse

  constructor(
    private readonly transport: SessionTransport,
    private readonly self: string,
    private readonly log: Logger,
  ) {}

  get active(): number {
    return this.running.size;
  }

  /**
   * Run `machine` as this node's party of session `id`. `peers[i]` is the peer id of party i
   * (this node included). Resolves with the output; rejects with the engine's TssError or a timeout.
   */
  run<T>(id: Uint8Array, machine: PartyMachine<T>, peers: readonly string[], timeoutMs: number): Promise<T> {
    const key = Buffer.from(id).toString('hex');
    if (this.running.has(key) || this.finished.has(key)) return Promise.reject(new TssError('WRONG_SESSION', `session ${key} already used`));
    if (peers[machine.party] !== this.self) return Promise.reject(new TssError('INVALID_PARAMETERS', 'this node is not the given party'));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.finish(key, new SessionTimeoutError(`session ${key.slice(0, 16)} timed out after ${timeoutMs} ms`)), timeoutMs);
      const partyOf = new Map(peers.map((p, i) => [p, i]));
      this.running.set(key, { machine: machine as PartyMachine<unknown>, peers, partyOf, resolve: resolve as (v: unknown) => void, reject, timer });
      this.handle(key, machine.start());
      const buffered = this.early.get(key);
      this.early.delete(key);
      for (const [from, frame] of buffered?.frames ?? []) this.deliver(key, from, frame);
    });
  }

  /** Entry point for every SessionFrame from the network. */
  onFrame(from: string, frame: SessionFrame): void {
    const key = Buffer.from(frame.session).toString('hex');
    if (this.running.has(key)) return this.deliver(key, from, frame);
    if (this.finished.has(key)) return; // late message of a finished session
    this.pruneEarly();
    const entry = this.early.get(key) ?? { at: Date.now(), frames: [] };
    if (!this.early.has(key) && this.early.size >= MAX_EARLY_SESSIONS) return this.log.warn('dropping frame: too many pending sessions', { peer: from });
    if (entry.frames.length >= MAX_EARLY_FRAMES) return this.log.warn('dropping frame: too many early frames', { peer: from, session: key });
    entry.frames.push([from, frame]);
    this.early.set(key, entry);
  }

  private deliver(key: string, from: string, frame: SessionFrame): void {
    const r = this.running.get(key);
    if (!r) return;
    const party = r.partyOf.get(from);
    if (party === undefined || party !== frame.fromParty) {
      this.log.warn('dropping frame from a peer that is not the claimed party', { peer: from, session: key, claimed: frame.fromParty });
      return;
    }
    this.handle(key, r.machine.receive(party, frame.payload));
  }

  private handle(key: string, step: Step<unknown>): void {
    const r = this.running.get(key);
    if (!r) return;
    if (step.status === 'aborted') return this.finish(key, step.error);
    for (const m of step.messages) {
      const targets = (m.to === 'all' ? r.machine.peers : [m.to]).map((party) => r.peers[party]);
      for (const peer of targets) {
        this.transport
          .sendSession(peer, { session: Buffer.from(key, 'hex'), fromParty: r.machine.party, payload: m.payload })
          .catch((e: Error) => this.finish(key, e));
      }
    }
    if (step.status === 'done') this.finish(key, undefined, step.output);
  }

  private finish(key: string, error?: Error, output?: unknown): void {
    const r = this.running.get(key);
    if (!r) return;
    this.running.delete(key);
    clearTimeout(r.timer);
    this.finished.set(key, Date.now());
    if (this.finished.size > 10_000) {
      const cutoff = Date.now() - 3_600_000;
      for (const [k, at] of this.finished) if (at < cutoff) this.finished.delete(k);
    }
    if (error) r.reject(error);
    else r.resolve(output);
  }

  private pruneEarly(): void {
    const cutoff = Date.now() - EARLY_TTL_MS;
    for (const [k, e] of this.early) if (e.at < cutoff) this.early.delete(k);
  }
}
