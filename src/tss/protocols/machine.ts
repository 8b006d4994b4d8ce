// The round engine shared by every protocol: a per-party state machine with no I/O.
// A party is created with its parameters; `start()` returns its first messages, `receive(from,
// bytes)` takes one message and returns messages to send, the output, or the abort error.
// This layer checks what is common to every message: the envelope decodes, it belongs to this
// protocol instance (replays from other sessions are refused), the sender is a peer and matches
// the authenticated `from`, the round is the current or the next one (early messages are
// buffered), there is one message per peer and round, and broadcast/private use is as expected.
// After an abort or the output the machine is closed: it never produces anything else.
// Round 1 is a signed broadcast in every protocol (echo.ts): its bodies go out as SignedBroadcast
// messages signed with this party's identity key (BroadcastAuth), and a received one is verified
// on receipt (BAD_BROADCAST_SIGNATURE naming the sender when it is not validly signed) before the
// handler sees its body. The signed broadcasts are kept until the echo round (2) is processed:
// `echo()` lists them for the round-2 messages and `checkEcho()` compares a peer's echo.
// Attribution: an abort records in the TssError the round (the round being processed, or for a
// message refused on receipt the round its header names) and, when the error names a peer, the
// exact envelope bytes received from that peer for that round as `evidence` (for a refused message:
// the message itself), unless the error brings its own evidence (an equivocation proof). Only the envelopes of the round being collected are kept (they share their
// bytes with the bodies the handlers read) and they are dropped once the round is processed.
// `waitingFor()` names the peers whose message for the current round is missing, so a caller that
// times out can name the silent parties.
import { dan } from '../../proto/index.ts';
import { TssError, abort } from '../errors.ts';
import { equalBytes } from '../hash.ts';
import { type BroadcastAuth, MAX_BROADCAST_BODY, MAX_BROADCAST_SIGNATURE, type SignedBroadcast, broadcastStatement, checkEcho as compareEcho, verifyBroadcast } from './echo.ts';

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
  /** Peers whose message for the current round has not arrived yet (empty once closed). */
  waitingFor(): number[];
}

/** What a round handler returns: bodies to send (encoded proto messages) and maybe the output. */
export interface RoundResult<T> {
  send: { to: number | 'all'; body: Uint8Array }[];
  output?: T;
}

/** A message accepted for a round: the envelope as received and its body (a view into it). */
interface Received {
  payload: Uint8Array;
  body: Uint8Array;
}

/** The round whose broadcasts are signed, and the round that echoes them. */
const SIGNED_ROUND = 1;
const ECHO_ROUND = 2;

export abstract class RoundMachine<T> implements PartyMachine<T> {
  readonly peers: readonly number[];
  /** Every party's signed round-1 broadcast as this party received it (its own as sent). */
  private readonly broadcasts = new Map<number, SignedBroadcast>();
  private round = 1; // the round whose messages we are collecting
  private readonly inbox = new Map<number, Map<number, Received>>(); // round -> from -> message
  private closed: Step<T> | undefined;
  private started = false;

  protected constructor(
    protected readonly protocol: ProtocolKind,
    protected readonly instance: Uint8Array,
    readonly party: number,
    protected readonly participants: readonly number[],
    private readonly lastRound: number,
    private readonly broadcastRounds: ReadonlySet<number>,
    private readonly auth: BroadcastAuth,
  ) {
    if (!(instance instanceof Uint8Array) || instance.length !== 32) abort('INVALID_PARAMETERS', 'instance id must be 32 bytes');
    if (!participants.includes(party)) abort('INVALID_PARAMETERS', 'party is not among the participants');
    if (new Set(participants).size !== participants.length) abort('INVALID_PARAMETERS', 'duplicate participant');
    if (typeof auth?.sign !== 'function' || typeof auth.verify !== 'function') abort('INVALID_PARAMETERS', 'a BroadcastAuth (identity-key sign/verify) is required');
    if (!broadcastRounds.has(SIGNED_ROUND) || lastRound < ECHO_ROUND) abort('INVALID_PARAMETERS', 'round 1 must be a broadcast echoed in round 2');
    this.peers = participants.filter((p) => p !== party);
  }

  /** The round-2 echo: every party's signed round-1 broadcast as this party received it, in participant order. */
  protected echo(): dan.tss.SignedBroadcast.$Properties[] {
    return this.participants.map((p) => this.broadcasts.get(p)!);
  }

  /** Compare the echo received from `from` with this party's copies (attribution rule in echo.ts). */
  protected checkEcho(from: number, seen: readonly dan.tss.SignedBroadcast.$Properties[]): void {
    compareEcho({ instance: this.instance, protocol: this.protocol, parties: this.participants, self: this.party, verify: (p, m, sig) => this.auth.verify(p, m, sig) }, this.broadcasts, seen, from);
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
      const { round, body } = this.accept(from, payload);
      const received = this.inbox.get(round) ?? new Map<number, Received>();
      received.set(from, { payload, body });
      this.inbox.set(round, received);
      const messages: OutgoingMessage[] = [];
      // Process every complete round in order (a buffered next round may complete at once).
      for (;;) {
        const current = this.inbox.get(this.round);
        if (!current || current.size < this.peers.length) return { status: 'continue', messages };
        const bodies = new Map<number, Uint8Array>();
        for (const [p, m] of current) bodies.set(p, m.body);
        let result: RoundResult<T>;
        try {
          result = this.handleRound(this.round, bodies);
        } catch (e) {
          const offending = e instanceof TssError && e.party !== undefined ? current.get(e.party)?.payload : undefined;
          throw attribute(e, this.round, offending);
        }
        this.inbox.delete(this.round);
        if (this.round === ECHO_ROUND) this.broadcasts.clear();
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

  waitingFor(): number[] {
    if (this.closed) return [];
    const received = this.inbox.get(this.round);
    return this.peers.filter((p) => !received?.has(p));
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
    attribute(error, this.round);
    this.closed = { status: 'aborted', error };
    this.inbox.clear();
    this.broadcasts.clear();
    this.onAbort();
    return this.closed;
  }

  /** Hook for subclasses to wipe secrets when the session aborts. */
  protected onAbort(): void {}

  private emit(round: number, result: RoundResult<T>): { status: 'continue'; messages: OutgoingMessage[] } {
    const messages = result.send.map(({ to, body: plain }) => {
      const body = round === SIGNED_ROUND ? this.signBroadcast(to, plain) : plain;
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

  /** The round-1 body as sent: this party's SignedBroadcast of `body`. */
  private signBroadcast(to: number | 'all', body: Uint8Array): Uint8Array {
    if (to !== 'all' || this.broadcasts.has(this.party)) abort('INVALID_PARAMETERS', 'round 1 must be one broadcast');
    let signature: Uint8Array;
    try {
      signature = this.auth.sign(broadcastStatement(this.instance, this.protocol, this.party, body));
    } catch (e) {
      abort('INVALID_PARAMETERS', `signing the round-1 broadcast failed: ${(e as Error)?.message ?? String(e)}`);
    }
    if (!(signature instanceof Uint8Array) || signature.length === 0 || signature.length > MAX_BROADCAST_SIGNATURE) abort('INVALID_PARAMETERS', 'BroadcastAuth.sign returned no valid signature');
    this.broadcasts.set(this.party, { body, signature });
    return dan.tss.SignedBroadcast.encode({ body, signature }).finish();
  }

  /** A received round-1 body: decoded, size-checked and verified; kept for the echo. */
  private openBroadcast(from: number, payload: Uint8Array): Uint8Array {
    let m: dan.tss.SignedBroadcast;
    try {
      m = dan.tss.SignedBroadcast.decode(payload);
    } catch {
      abort('MALFORMED_MESSAGE', 'undecodable signed round-1 broadcast', from);
    }
    const body = m.body ?? new Uint8Array();
    const signature = m.signature ?? new Uint8Array();
    if (body.length > MAX_BROADCAST_BODY) abort('MALFORMED_MESSAGE', `round-1 broadcast larger than ${MAX_BROADCAST_BODY} bytes`, from);
    if (!verifyBroadcast((p, m, sig) => this.auth.verify(p, m, sig), this.instance, this.protocol, from, { body, signature })) {
      abort('BAD_BROADCAST_SIGNATURE', signature.length === 0 ? 'unsigned round-1 broadcast' : 'round-1 broadcast not validly signed by its sender', from);
    }
    this.broadcasts.set(from, { body, signature });
    return body;
  }

  /** The envelope checks; a refused message becomes the evidence of the error. */
  private accept(from: number, payload: Uint8Array): { round: number; body: Uint8Array } {
    let round = this.round;
    try {
      if (!this.peers.includes(from)) abort('UNEXPECTED_MESSAGE', 'message from a party outside this session', from);
      const env = decodeEnvelope(payload, from);
      const h = env.header;
      if (!h) abort('MALFORMED_MESSAGE', 'missing header', from);
      round = h.round ?? 0;
      if (!equalBytes(h.instance ?? new Uint8Array(), this.instance) || h.protocol !== this.protocol) {
        abort('WRONG_SESSION', 'message belongs to another session', from);
      }
      if (h.from !== from) abort('MALFORMED_MESSAGE', 'header sender differs from the transport sender', from);
      if (round !== this.round && round !== this.round + 1) abort('UNEXPECTED_MESSAGE', `message for round ${round} while in round ${this.round}`, from);
      if (round > this.lastRound) abort('UNEXPECTED_MESSAGE', `no round ${round} in this protocol`, from);
      const broadcast = this.broadcastRounds.has(round);
      if (Boolean(h.broadcast) !== broadcast) abort('MALFORMED_MESSAGE', `round ${round} must be ${broadcast ? 'broadcast' : 'private'}`, from);
      if (!broadcast && h.to !== this.party) abort('UNEXPECTED_MESSAGE', 'message addressed to another party', from);
      if (this.inbox.get(round)?.has(from)) abort('DUPLICATE_MESSAGE', `second message for round ${round}`, from);
      const body = env.body ?? new Uint8Array();
      return { round, body: round === SIGNED_ROUND ? this.openBroadcast(from, body) : body };
    } catch (e) {
      throw attribute(e, round, payload);
    }
  }
}

function decodeEnvelope(payload: Uint8Array, from: number): dan.tss.Envelope {
  try {
    return dan.tss.Envelope.decode(payload);
  } catch {
    abort('MALFORMED_MESSAGE', 'undecodable envelope', from);
  }
}

/**
 * Records the round and the offending envelope in a TssError (the first attribution wins: an
 * error annotated where it was raised keeps its round when it passes through outer handlers).
 * The evidence is a copy, so it stays exact whatever the caller does with its buffers later.
 */
function attribute(e: unknown, round: number, offending?: Uint8Array): unknown {
  if (!(e instanceof TssError) || e.round !== undefined) return e;
  e.round = round;
  if (offending && e.party !== undefined && e.evidence === undefined) e.evidence = offending.slice();
  return e;
}

/** Decode a round body with a typed error naming the sender on failure. */
export function decodeBody<M>(decode: (b: Uint8Array) => M, body: Uint8Array, what: string, from: number): M {
  try {
    return decode(body);
  } catch {
    abort('MALFORMED_MESSAGE', `undecodable ${what}`, from);
  }
}
