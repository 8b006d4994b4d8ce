// Tamper toolkit for the misbehaving-party tests of the engine (test/tss/adversarial.test.ts).
// - Envelope/body editing: decode the Envelope, decode the body with its round type, change one
//   field, re-encode body and envelope, so the envelope stays valid and the check under test is the
//   one that fires. Round-1 bodies are SignedBroadcasts: `editSigned` edits the signed message and
//   re-signs it with the sender's test key (a misbehaving sender signs what it sends) unless told
//   to keep the old signature.
// - Field mutations: flipped byte, another valid point, the identity encoding, non-canonical
//   scalars, negated point, undecodable point prefix.
// - Interceptors for runParties that change exactly one delivery and count how often they fired
//   (a tamper that never fired would make an "abort" assertion meaningless).
// - Snapshots: honest runs paused before a round, forked (deep copy of every machine) for each
//   tampered continuation, so a round-3 tamper does not pay for rounds 1-2 again. The fork copies
//   the machines' own state (plain data: maps, arrays, bigints, byte arrays, frozen points); the
//   continuation runs through the real runParties with its intercept hook.
import assert from 'node:assert/strict';
import { dan } from '../../src/proto/index.ts';
import { runParties, TssError, type Delivery, type OutgoingMessage, type PartyMachine, type RunResult, type Step, type TssErrorCode } from '../../src/tss/index.ts';
import { hash, u32 } from '../../src/tss/hash.ts';
import { proveDlog } from '../../src/tss/math/dlog.ts';
import { Point, encodePoint, mulBase } from '../../src/tss/math/point.ts';
import { Q, encodeScalar, randomBytes, randomScalar } from '../../src/tss/math/scalar.ts';
import { broadcastStatement } from '../../src/tss/protocols/echo.ts';
import { keys } from './tss.ts';

// ---------------------------------------------------------------- byte and field mutations

/** 33 zero bytes: how a careless encoder would write the point at infinity. */
export const IDENTITY = (): Uint8Array => new Uint8Array(33);
/** The group order itself: the smallest non-canonical scalar. */
export const Q_BYTES = (): Uint8Array => encodeScalar(Q);
/** 2^256 - 1. */
export const MAX_BYTES = (): Uint8Array => new Uint8Array(32).fill(0xff);
export const ZERO_BYTES = (n = 32): Uint8Array => new Uint8Array(n);

/** Copy of `bytes` with bytes[index] ^= mask (negative index counts from the end). */
export function flip(bytes: Uint8Array, index = -1, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  const i = index < 0 ? out.length + index : index;
  assert.ok(i >= 0 && i < out.length, `flip index ${index} outside ${out.length} bytes`);
  out[i] ^= mask;
  return out;
}

/** A fresh valid point k*G (compressed). */
export const randomPoint = (): Uint8Array => encodePoint(mulBase(randomScalar()));
/** The negated point: same x, other y (still valid). */
export const negatePoint = (p: Uint8Array): Uint8Array => flip(p, 0, 0x01);
/** A 33-byte string with an impossible SEC1 prefix. */
export const badPrefix = (p: Uint8Array): Uint8Array => {
  const out = p.slice();
  out[0] = 0x05;
  return out;
};
export const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
/** Copy of `bytes` with `replacement` written at `offset`. */
export function splice(bytes: Uint8Array, offset: number, replacement: Uint8Array): Uint8Array {
  assert.ok(offset >= 0 && offset + replacement.length <= bytes.length, 'splice outside the field');
  const out = bytes.slice();
  out.set(replacement, offset);
  return out;
}

// ---------------------------------------------------------------- envelopes and bodies

export interface Opened {
  header: dan.tss.Header.$Properties;
  body: Uint8Array;
}

export function open(payload: Uint8Array): Opened {
  const env = dan.tss.Envelope.decode(payload);
  assert.ok(env.header, 'payload has no header');
  return { header: { ...env.header }, body: env.body ?? new Uint8Array() };
}

export function seal({ header, body }: Opened): Uint8Array {
  return dan.tss.Envelope.encode({ header, body }).finish();
}

export function editHeader(payload: Uint8Array, edit: (h: dan.tss.Header.$Properties) => void): Uint8Array {
  const o = open(payload);
  edit(o.header);
  return seal(o);
}

export function replaceBody(payload: Uint8Array, body: Uint8Array): Uint8Array {
  return seal({ ...open(payload), body });
}

/** A generated proto message type. */
export interface Codec<M> {
  decode(bytes: Uint8Array): M;
  encode(message: M): { finish(): Uint8Array };
}

export function readBody<M>(payload: Uint8Array, codec: Codec<M>): M {
  return codec.decode(open(payload).body);
}

/** Decode the body with `codec`, let `edit` change it, re-encode body and envelope. */
export function editBody<M>(payload: Uint8Array, codec: Codec<M>, edit: (m: M) => void): Uint8Array {
  const o = open(payload);
  const m = codec.decode(o.body);
  edit(m);
  return seal({ header: o.header, body: codec.encode(m).finish() });
}

/** Offset of the body's tag byte (the envelope's field 2). */
export function bodyTagOffset(payload: Uint8Array): number {
  assert.equal(payload[0], 0x0a, 'envelope must start with the header');
  assert.ok(payload[1] < 0x80, 'short header');
  assert.equal(payload[2 + payload[1]], 0x12, 'body follows the header');
  return 2 + payload[1];
}

/** Envelope body codec per round (round 1: the SignedBroadcast around DkgRound1 / PresignRound1). */
export const DKG_BODY = { 1: dan.tss.SignedBroadcast, 2: dan.tss.DkgRound2, 3: dan.tss.DkgRound3, 4: dan.tss.DkgRound4 } as const;
export const PRESIGN_BODY = { 1: dan.tss.SignedBroadcast, 2: dan.tss.PresignRound2, 3: dan.tss.PresignRound3 } as const;

/** The SignedBroadcast of a round-1 envelope. */
export function readSigned(payload: Uint8Array): dan.tss.SignedBroadcast {
  return dan.tss.SignedBroadcast.decode(open(payload).body);
}

/** The signed message (DkgRound1 / PresignRound1) inside a round-1 envelope. */
export function readRound1<M>(payload: Uint8Array, codec: Codec<M>): M {
  return codec.decode(readSigned(payload).body);
}

/** `body` signed by `signer` (default: its own party) as `party`'s round-1 broadcast of the envelope's session. */
export function sign(header: dan.tss.Header.$Properties, body: Uint8Array, party = header.from ?? 0, signer = party): Uint8Array {
  const signature = keys.sign(signer, broadcastStatement(header.instance!, header.protocol!, party, body));
  return dan.tss.SignedBroadcast.encode({ body, signature }).finish();
}

export interface SignOptions {
  /** Keep the original signature (default: re-sign the edited message with the sender's key). */
  keepSignature?: boolean;
}

/**
 * Round-1 envelopes: decode the signed message with `codec`, let `edit` change it, re-encode it and
 * re-sign it as the sender (or keep the old signature), re-encode the envelope.
 */
export function editSigned<M>(payload: Uint8Array, codec: Codec<M>, edit: (m: M) => void, options: SignOptions = {}): Uint8Array {
  const o = open(payload);
  const signed = dan.tss.SignedBroadcast.decode(o.body);
  const m = codec.decode(signed.body);
  edit(m);
  return replaceSigned(payload, codec.encode(m).finish(), options);
}

/** Round-1 envelopes: the same envelope carrying `body` as signed message, re-signed as the sender unless told otherwise. */
export function replaceSigned(payload: Uint8Array, body: Uint8Array, options: SignOptions = {}): Uint8Array {
  const o = open(payload);
  if (options.keepSignature) {
    const signed = dan.tss.SignedBroadcast.decode(o.body);
    return seal({ header: o.header, body: dan.tss.SignedBroadcast.encode({ body, signature: signed.signature }).finish() });
  }
  return seal({ header: o.header, body: sign(o.header, body) });
}

/**
 * Offset of the value of header field `field` inside an envelope (for raw byte flips of a
 * specific header field), or undefined when the field is absent (proto3 omits zero values).
 */
export function headerValueOffset(payload: Uint8Array, field: number): number | undefined {
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = payload[pos++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  assert.equal(varint(), (1 << 3) | 2, 'envelope must start with the header');
  const end = varint() + pos;
  while (pos < end) {
    const tag = varint();
    let value = pos;
    if ((tag & 7) === 2) {
      const length = varint();
      value = pos;
      pos += length;
    } else varint();
    if (tag >>> 3 === field) return value;
  }
  return undefined;
}

// ---------------------------------------------------------------- interceptors

export interface Target {
  from: number;
  round: number;
  /** Recipient; omitted = every recipient of the message. */
  to?: number;
}

/** Replacement payload, or null to drop. Gets a copy of the payload and the delivery. */
export type Mutation = (payload: Uint8Array, d: Delivery) => Uint8Array | null;

/** A runParties intercept that applies `mutation` to the deliveries matching `target`. */
export class Tamper {
  hits = 0;
  constructor(
    readonly target: Target,
    readonly mutation: Mutation,
  ) {}

  readonly intercept = (d: Delivery): Uint8Array | null | undefined => {
    const t = this.target;
    if (d.from !== t.from || d.round !== t.round || (t.to !== undefined && d.to !== t.to)) return undefined;
    this.hits++;
    return this.mutation(d.payload.slice(), d);
  };
}

// ---------------------------------------------------------------- snapshots and forks

/** Deep copy that keeps prototypes (machine state is plain data); frozen objects are shared. */
export function fork<T>(value: T, memo = new Map<unknown, unknown>()): T {
  if (typeof value !== 'object' || value === null) return value;
  if (memo.has(value)) return memo.get(value) as T;
  if (Object.isFrozen(value)) return value;
  let out: unknown;
  if (ArrayBuffer.isView(value)) {
    if (Buffer.isBuffer(value)) out = Buffer.from(value);
    else out = new (value.constructor as new (v: unknown) => unknown)(value);
    memo.set(value, out);
    return out as T;
  }
  if (value instanceof Map) {
    const m = new Map();
    memo.set(value, m);
    for (const [k, v] of value) m.set(fork(k, memo), fork(v, memo));
    return m as T;
  }
  if (value instanceof Set) {
    const s = new Set();
    memo.set(value, s);
    for (const v of value) s.add(fork(v, memo));
    return s as T;
  }
  if (Array.isArray(value)) {
    const a: unknown[] = [];
    memo.set(value, a);
    for (const v of value) a.push(fork(v, memo));
    return a as T;
  }
  const o = Object.create(Object.getPrototypeOf(value)) as Record<string | symbol, unknown>;
  memo.set(value, o);
  for (const key of Reflect.ownKeys(value)) {
    const desc = Object.getOwnPropertyDescriptor(value, key)!;
    if ('value' in desc) desc.value = fork(desc.value, memo);
    Object.defineProperty(o, key, desc);
  }
  return o as T;
}

/** A machine that was started elsewhere: start() hands out its pending messages. */
class Resumed<T> implements PartyMachine<T> {
  constructor(
    readonly inner: PartyMachine<T>,
    private readonly pending: OutgoingMessage[],
  ) {}
  get party(): number {
    return this.inner.party;
  }
  get peers(): readonly number[] {
    return this.inner.peers;
  }
  start(): Step<T> {
    return { status: 'continue', messages: this.pending };
  }
  receive(from: number, payload: Uint8Array): Step<T> {
    return this.inner.receive(from, payload);
  }
  waitingFor(): number[] {
    return this.inner.waitingFor();
  }
}

/**
 * Machines paused in an honest run, with the messages they sent that were not delivered yet.
 * `round` is the round the (victim) parties are collecting; `outbox` may also hold messages of the
 * next round from parties that are ahead (see `lagging`).
 */
export interface Snapshot<T> {
  round: number;
  machines: PartyMachine<T>[];
  outbox: Map<number, OutgoingMessage[]>;
}

/** Start every machine; the snapshot holds the round-1 messages. */
export function started<T>(machines: PartyMachine<T>[]): Snapshot<T> {
  const outbox = new Map<number, OutgoingMessage[]>();
  for (const m of machines) {
    const step = m.start();
    assert.equal(step.status, 'continue', `party ${m.party} did not start`);
    outbox.set(m.party, step.status === 'continue' ? step.messages : []);
  }
  return { round: 1, machines, outbox };
}

const roundOf = (payload: Uint8Array): number => dan.tss.Envelope.decode(payload).header?.round ?? 0;

/** The undelivered payload `from` sends to `to` in `round` (default: the snapshot's round). */
export function pending<T>(snap: Snapshot<T>, from: number, to: number, round = snap.round): Uint8Array {
  const m = snap.outbox.get(from)!.find((o) => (o.to === to || o.to === 'all') && roundOf(o.payload) === round);
  assert.ok(m, `no pending message ${from} -> ${to} in round ${round}`);
  return m.payload;
}

/**
 * Fork the snapshot and run it through runParties (with `intercept`) until nothing moves.
 * Deliveries for which `hold` returns true are neither intercepted nor delivered but returned in
 * `held`, which pauses the run there.
 */
export function resume<T>(
  snap: Snapshot<T>,
  intercept?: (d: Delivery) => Uint8Array | null | undefined,
  hold?: (d: Delivery) => boolean,
): RunResult<T> & { machines: PartyMachine<T>[]; held: Delivery[] } {
  const machines = fork(snap.machines);
  const held: Delivery[] = [];
  const adapters = machines.map((m) => new Resumed(m, snap.outbox.get(m.party) ?? []));
  const r = runParties(adapters, {
    intercept: (d) => {
      if (hold?.(d)) {
        held.push(d);
        return null;
      }
      return intercept?.(d);
    },
  });
  return { ...r, machines, held };
}

/** Run honestly, holding back what `hold` selects; the held messages become the new outbox. */
function pause<T>(snap: Snapshot<T>, round: number, hold: (d: Delivery) => boolean): Snapshot<T> {
  const r = resume(snap, undefined, hold);
  assert.equal(r.errors.size, 0, `honest run failed: ${describeErrors(r)}`);
  assert.equal(r.outputs.size, 0, 'paused before the end');
  const outbox = new Map<number, OutgoingMessage[]>(r.machines.map((m) => [m.party, []]));
  for (const d of r.held) outbox.get(d.from)!.push({ to: d.to, payload: d.payload });
  return { round, machines: r.machines, outbox };
}

/** Deliver the snapshot's round honestly; the result waits for the next round. */
export function advance<T>(snap: Snapshot<T>): Snapshot<T> {
  return pause(snap, snap.round + 1, (d) => d.round > snap.round);
}

/**
 * Deliver the snapshot's round to everyone except `victim`: the others finish the round (and
 * their next-round messages wait in the outbox), the victim still waits for all of its round
 * messages. A tamper of a message to the victim then only costs the victim's work for the round;
 * the run is the same as a full one in which the victim's messages happen to arrive last.
 */
export function lagging<T>(snap: Snapshot<T>, victim: number): Snapshot<T> {
  return pause(snap, snap.round, (d) => d.to === victim || d.round > snap.round);
}

/** Snapshots before every round of an honest run: index r = waiting for round r (1-based). */
export function stages<T>(machines: PartyMachine<T>[], rounds: number): Snapshot<T>[] {
  const out: Snapshot<T>[] = [];
  out[1] = started(machines);
  for (let r = 2; r <= rounds; r++) out[r] = advance(out[r - 1]);
  return out;
}

/** Run a fresh set of machines with runParties and record every delivery (for later replays). */
export function record<T>(machines: PartyMachine<T>[]): { result: RunResult<T>; log: Delivery[] } {
  const log: Delivery[] = [];
  const result = runParties(machines, { intercept: (d) => void log.push(d) });
  return { result, log };
}

export function find(log: readonly Delivery[], from: number, to: number, round: number): Uint8Array {
  const d = log.find((x) => x.from === from && x.to === to && x.round === round);
  assert.ok(d, `no recorded delivery ${from} -> ${to} in round ${round}`);
  return d.payload.slice();
}

// ---------------------------------------------------------------- a DKG dealer that lies consistently

export interface DealerPlan {
  instance: Uint8Array;
  protocol: dan.tss.ProtocolKind;
  threshold: number;
  parties: number;
  /** Key generation being refreshed (REFRESH only). */
  generation?: Uint8Array;
  dealer: number;
  /** Coefficient commitments the dealer commits to in round 1 and opens in round 2. */
  coefficients: Uint8Array[];
  /** Their discrete logs, when the dealer knows them: then it also sends valid proofs. */
  secrets?: bigint[];
}

/**
 * Intercept (start it from the round-1 snapshot) that turns `dealer` into a malicious party that
 * commits, to everyone alike, to `coefficients` instead of its real polynomial (signing that
 * round-1 message with its key), and opens that commitment in round 2 with a fresh blind, the
 * echo of the signed round-1 broadcasts as the honest parties received them and, if the secrets
 * are given, valid proofs. The honest parties' signature, commitment and echo checks then pass and
 * the checks behind them are exercised. Mirrors the formulas of dkg.ts (commitment, final session
 * id, proof context).
 */
export function committedDealer(plan: DealerPlan): { intercept: (d: Delivery) => Uint8Array | null | undefined; hits: { round1: number; round2: number } } {
  const blind = randomBytes(32);
  const round1 = new Map<number, dan.tss.SignedBroadcast>();
  const hits = { round1: 0, round2: 0 };
  let dealt: Uint8Array | undefined; // the dealer's signed round-1 broadcast, the same to everyone
  const intercept = (d: Delivery): Uint8Array | null | undefined => {
    if (d.round === 1) {
      if (d.from !== plan.dealer) {
        round1.set(d.from, readSigned(d.payload));
        return undefined;
      }
      hits.round1++;
      if (!dealt) {
        dealt = open(editSigned(d.payload, dan.tss.DkgRound1, (m) => (m.commitment = hash('dkg/commitment', plan.instance, u32(plan.dealer), m.x!, ...plan.coefficients, blind)))).body;
        round1.set(plan.dealer, dan.tss.SignedBroadcast.decode(dealt));
      }
      return replaceBody(d.payload, dealt);
    }
    if (d.round !== 2 || d.from !== plan.dealer) return undefined;
    hits.round2++;
    const ids = Array.from({ length: plan.parties }, (_, p) => p);
    assert.equal(round1.size, plan.parties, 'all round-1 broadcasts seen before round 2');
    const sids = ids.map((p) => dan.tss.DkgRound1.decode(round1.get(p)!.body).sid);
    const fsid = hash('dkg/session', plan.instance, u32(plan.protocol), u32(plan.threshold), u32(plan.parties), plan.generation ?? new Uint8Array(), ...sids);
    const seen = ids.map((p) => round1.get(p)!);
    return editBody(d.payload, dan.tss.DkgRound2, (m) => {
      m.seen = seen;
      m.coefficients = plan.coefficients;
      m.blind = blind;
      if (plan.secrets) {
        m.proofs = plan.secrets.map((u, k) => proveDlog([fsid, u32(plan.dealer), Buffer.from('coefficient'), u32(k)], u, Point.fromBytes(plan.coefficients[k])));
      }
    });
  };
  return { intercept, hits };
}

// ---------------------------------------------------------------- assertions

export interface AbortExpectation {
  /** The party that must abort (the recipient of the tampered delivery). */
  victim: number;
  code: TssErrorCode;
  /** Expected `party` of the error: a number, a set of acceptable numbers, or 'unattributed'. */
  blame?: number | readonly number[] | 'unattributed';
  /** Expected `ban` flag (default false). */
  ban?: boolean;
  /** True when the tamper was in the protocol's last round: only the victim must lack an output. */
  lastRound?: boolean;
}

export function describeErrors(r: { errors: Map<number, TssError> }): string {
  return [...r.errors].map(([p, e]) => `${p}: ${e.code} ${e.message}${e.ban ? ' [ban]' : ''}`).join('; ') || 'no errors';
}

/** The victim aborted with exactly this code, blame and ban; nobody (or, last round, not the victim) has an output. */
export function assertAbort(r: RunResult<unknown>, x: AbortExpectation): TssError {
  const err = r.errors.get(x.victim);
  assert.ok(err, `party ${x.victim} did not abort (outputs: [${[...r.outputs.keys()]}]; ${describeErrors(r)})`);
  assert.ok(err instanceof TssError, 'the abort is a TssError');
  assert.equal(err.code, x.code, `party ${x.victim} aborted with ${err.code} (${err.message}), expected ${x.code}`);
  if (x.blame === 'unattributed') assert.equal(err.party, undefined, `error should not name a party: ${err.message}`);
  else if (typeof x.blame === 'number') assert.equal(err.party, x.blame, `error names party ${err.party}: ${err.message}`);
  else if (x.blame) assert.ok(x.blame.includes(err.party as number), `error names party ${err.party}, expected one of ${x.blame}: ${err.message}`);
  assert.equal(err.ban, x.ban ?? false, `ban flag of ${err.code}`);
  assert.ok(!r.outputs.has(x.victim), 'the victim produced no output');
  if (!x.lastRound) assert.equal(r.outputs.size, 0, `no party may produce an output (outputs: [${[...r.outputs.keys()]}])`);
  for (const e of r.errors.values()) assert.ok(e instanceof TssError);
  return err;
}
