// The round engine shared by every protocol: a per-party state machine with no I/O.
// A party is created with its parameters; `start()` returns its first messages, `receive(from,
// bytes)` takes one message and returns messages to send, the output, or the abort error.
// This layer checks what is common to every message: the envelope decodes, it belongs to this
// protocol instance (replays from other sessions are refused), the sender is a peer and matches
// the authenticated `from`, the round is the current or the next one (early messages are
// buffered), there is one message per peer and round, and broadcast/private use is as expected.
// After an abort or the output the machine is closed: it never produces anything else.
import { dan } from '../../proto/index.ts';
import { TssError, abort } from '../errors.ts';
import { equalBytes } from '../hash.ts';

export const ProtocolKind = dan.tss.ProtocolKind;
export type ProtocolKind = dan.tss.ProtocolKind;

export interface OutgoingMessage {
  /** Recipient party id, or 'all' for a broadcast (the same bytes to every peer). */
  to: number | 'all';
  payload: Uint8Array;
}

export type Step<T> =
  | { status: 'continue'; messages: OutgoingMessage[] }
  | { status: 'done'; messages: OutgoingMessage[]; output: T }
  | { status: 'aborted'; error: TssError };

export interface PartyMachine<T> {
  readonly party: number;
  readonly peers: readonly number[];
  /** The messages of the first round. */
  start(): Step<T>;
  /** Handle one message from an authenticated sender. */
  receive(from: number, payload: Uint8Array): Step<T>;
}

/** What a round handler returns: bodies to send (encoded proto messages) and maybe the output. */
export interface RoundResult<T> {
  send: { to: number | 'all'; body: Uint8Array }[];
  output?: T;
}

export abstract class RoundMachine<T> implements PartyMachine<T> {
  readonly peers: readonly number[];
  private round = 1; // the round whose messages we are collecting
  private readonly inbox = new Map<number, Map<number, Uint8Array>>(); // round -> from -> body
  private closed: Step<T> | undefined;
  private started = false;

  protected constructor(
    protected readonly protocol: ProtocolKind,
    protected readonly instance: Uint8Array,
    readonly party: number,
    participants: readonly number[],
    private readonly lastRound: number,
    private readonly broadcastRounds: ReadonlySet<number>,
  ) {
    if (instance.length !== 32) abort('INVALID_PARAMETERS', 'instance id must be 32 bytes');
    if (!participants.includes(party)) abort('INVALID_PARAMETERS', 'party is not among the participants');
    if (new Set(participants).size !== participants.length) abort('INVALID_PARAMETERS', 'duplicate participant');
    this.peers = participants.filter((p) => p !== party);
  }

  /** First-round bodies. */
  protected abstract firstRound(): RoundResult<T>;
  /** Called once all peers' messages of `round` are in; returns the next round's bodies or the output. */
  protected abstract handleRound(round: number, bodies: ReadonlyMap<number, Uint8Array>): RoundResult<T>;

  start(): Step<T> {
    if (this.closed) return this.closed;
    if (this.started) return this.fail(new TssError('UNEXPECTED_MESSAGE', 'start() called twice'));
    this.started = true;
    return this.run(() => this.emit(1, this.firstRound()));
  }

  receive(from: number, payload: Uint8Array): Step<T> {
    if (this.closed) return this.closed.status === 'aborted' ? this.closed : { status: 'aborted', error: new TssError('SESSION_CLOSED', 'session already finished') };
    if (!this.started) return this.fail(new TssError('UNEXPECTED_MESSAGE', 'receive() before start()'));
    return this.run(() => {
      const body = this.accept(from, payload);
      const round = this.inbox.get(body.round) ?? new Map<number, Uint8Array>();
      round.set(from, body.body);
      this.inbox.set(body.round, round);
      const messages: OutgoingMessage[] = [];
      // Process every complete round in order (a buffered next round may complete at once).
      for (;;) {
        const current = this.inbox.get(this.round);
        if (!current || current.size < this.peers.length) return { status: 'continue', messages };
        this.inbox.delete(this.round);
        const result = this.handleRound(this.round, current);
        this.round++;
        if (result.output !== undefined || this.round > this.lastRound) {
          if (result.output === undefined) abort('INVALID_PARAMETERS', 'protocol ended without output');
          const done: Step<T> = { status: 'done', messages: [...messages, ...this.emit(this.round, result).messages], output: result.output };
          this.closed = { status: 'aborted', error: new TssError('SESSION_CLOSED', 'session already finished') };
          return done;
        }
        messages.push(...this.emit(this.round, result).messages);
      }
    });
  }

  private run(f: () => Step<T>): Step<T> {
    try {
      return f();
    } catch (e) {
      if (e instanceof TssError) return this.fail(e);
      throw e;
    }
  }

  private fail(error: TssError): Step<T> {
    this.closed = { status: 'aborted', error };
    this.inbox.clear();
    this.onAbort();
    return this.closed;
  }

  /** Hook for subclasses to wipe secrets when the session aborts. */
  protected onAbort(): void {}

  private emit(round: number, result: RoundResult<T>): { status: 'continue'; messages: OutgoingMessage[] } {
    const messages = result.send.map(({ to, body }) => {
      const header = {
        instance: this.instance,
        protocol: this.protocol,
        round,
        from: this.party,
        to: to === 'all' ? 0 : to,
        broadcast: to === 'all',
      };
      return { to, payload: dan.tss.Envelope.encode({ header, body }).finish() };
    });
    return { status: 'continue', messages };
  }

  private accept(from: number, payload: Uint8Array): { round: number; body: Uint8Array } {
    if (!this.peers.includes(from)) abort('UNEXPECTED_MESSAGE', 'message from a party outside this session', from);
    let env: dan.tss.Envelope;
    try {
      env = dan.tss.Envelope.decode(payload);
    } catch {
      abort('MALFORMED_MESSAGE', 'undecodable envelope', from);
    }
    const h = env.header;
    if (!h) abort('MALFORMED_MESSAGE', 'missing header', from);
    if (!equalBytes(h.instance ?? new Uint8Array(), this.instance) || h.protocol !== this.protocol) {
      abort('WRONG_SESSION', 'message belongs to another session', from);
    }
    if (h.from !== from) abort('MALFORMED_MESSAGE', 'header sender differs from the transport sender', from);
    const round = h.round ?? 0;
    if (round !== this.round && round !== this.round + 1) abort('UNEXPECTED_MESSAGE', `message for round ${round} while in round ${this.round}`, from);
    if (round > this.lastRound) abort('UNEXPECTED_MESSAGE', `no round ${round} in this protocol`, from);
    const broadcast = this.broadcastRounds.has(round);
    if (Boolean(h.broadcast) !== broadcast) abort('MALFORMED_MESSAGE', `round ${round} must be ${broadcast ? 'broadcast' : 'private'}`, from);
    if (!broadcast && h.to !== this.party) abort('UNEXPECTED_MESSAGE', 'message addressed to another party', from);
    if (this.inbox.get(round)?.has(from)) abort('DUPLICATE_MESSAGE', `second message for round ${round}`, from);
    return { round, body: env.body ?? new Uint8Array() };
  }
}

/** Decode a round body with a typed error naming the sender on failure. */
export function decodeBody<M>(decode: (b: Uint8Array) => M, body: Uint8Array, what: string, from: number): M {
  try {
    return decode(body);
  } catch {
    abort('MALFORMED_MESSAGE', `undecodable ${what}`, from);
  }
}
