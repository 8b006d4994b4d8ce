// Resharing a key to another set of parties and threshold, same public key (docs/reshare.md).
// Parties of a session are the union of dealers (holders of the current generation taking part,
// at least its threshold) and receivers (the new set, in new party order); a party may be both.
// Each dealer d deals a random polynomial g_d of degree t'-1 whose constant is its additive share
// of the key over the dealers, lambda_d * s_d (Feldman VSS, commit-then-reveal as in the DKG), and
// sends receiver r its value g_d(x_r); receiver r's new share is the sum. Receivers run the
// pairwise OT setup among themselves exactly as the DKG does (base OTs, all-but-one OT,
// zero-share seeds). It closes the gaps of the quorum change this follows (dkls23 quorum change,
// marked not audited there): every coefficient carries a Schnorr proof of knowledge bound to the
// final session id; every round-1 broadcast is signed and echoed among all parties (echo.ts), so
// no party can show different commitments or different views of the old key to different
// parties; the aggregate polynomial and the public key are echoed too.
// Checks that name a party: a dealer's constant term must be lambda_d times its public share of
// the current generation (PUBLIC_KEY_MISMATCH), its coefficients must open its commitment
// (INVALID_COMMITMENT) and be proven (INVALID_PROOF), a share must lie on its polynomial
// (FELDMAN_CHECK_FAILED), the OT checks as in the DKG; every party must hold the same current
// generation (BROADCAST_MISMATCH on old_key). The aggregate constant must be the public key.
// A receiver that is not a current holder learns the current generation's public data from its
// caller and checks that it is consistent (public shares interpolate to the public key); the
// old_key echo makes every dealer confirm it.
// Output: receivers get their KeyShare of the new generation (generation = final session id);
// a dealer that is not a receiver gets none (its share is of the old generation only).
import { dan } from '../../proto/index.ts';
import { abort, check } from '../errors.ts';
import { equalBytes, hash, u32 } from '../hash.ts';
import type { KeyShare, PeerSeeds } from '../keyshare.ts';
import { proveDlog, verifyDlog } from '../math/dlog.ts';
import { Point, decodePoint, encodePoint, mulBase, mulPublic } from '../math/point.ts';
import { evaluate, evaluateCommitment, lagrangeAtZero, randomPolynomial } from '../math/polynomial.ts';
import { add, decodeScalar, encodeScalar, mul, randomBytes, randomScalar } from '../math/scalar.ts';
import { type EndemicReceiverState, endemicReceiverFinish, endemicReceiverStart, endemicSend } from '../ot/endemic.ts';
import { buildPprf, evalPprf } from '../ot/pprf.ts';
import { MAX_PARTIES } from './dkg.ts';
import type { BroadcastAuth } from './echo.ts';
import { ProtocolKind, RoundMachine, type RoundResult, decodeBody } from './machine.ts';

/** The public data of a key generation: what a receiver that holds no share of it is told. */
export interface GenerationPublic {
  threshold: number;
  publicKey: Uint8Array;
  generation: Uint8Array;
  xs: bigint[];
  publicShares: Point[];
}

/** A session party's roles: its index in the current generation (dealer) and in the new one (receiver). */
export interface ReshareMember {
  old?: number;
  new?: number;
}

export interface ReshareParams {
  /** 32-byte id of this run, unique and agreed by all parties. */
  instance: Uint8Array;
  /** Per session party (index = session party id): its roles. Agreed by all parties. */
  members: ReshareMember[];
  /** Threshold of the new generation. */
  threshold: number;
  /** This party's session id. */
  party: number;
  /** This party's share of the current generation (dealers). */
  keyShare?: KeyShare;
  /** The current generation's public data (receivers that hold no share; dealers use their keyShare's). */
  current?: GenerationPublic;
  auth: BroadcastAuth;
}

export interface ReshareOutput {
  publicKey: Uint8Array;
  /** The new generation's id. */
  generation: Uint8Array;
  /** This party's share of the new generation; absent for a dealer that is not in the new set. */
  share?: KeyShare;
}

export class ReshareParty extends RoundMachine<ReshareOutput> {
  private readonly members: ReshareMember[];
  private readonly t: number;
  private readonly dealers: number[];
  private readonly receivers: number[];
  private readonly current: GenerationPublic;
  private readonly currentDigest: Uint8Array;
  private readonly coefficients: bigint[] = [];
  private readonly commitments: Point[] = [];
  private readonly x: bigint | undefined;
  private readonly sid = randomBytes(32);
  private readonly blind = randomBytes(32);

  private xs = new Map<number, bigint>();
  private commitmentOf = new Map<number, Uint8Array>();
  private sids = new Map<number, Uint8Array>();
  private fsid: Uint8Array = new Uint8Array();
  private otReceivers = new Map<number, EndemicReceiverState>();
  private polynomials = new Map<number, Point[]>();
  private aggregate: Point[] = [];
  private aggregateBytes: Uint8Array[] = [];
  private seeds = new Map<number, Partial<PeerSeeds>>();
  private share = 0n;
  private publicShare: Point = Point.ZERO;

  constructor(p: ReshareParams) {
    const m = p.members;
    if (!Array.isArray(m) || m.length < 2 || m.length > 2 * MAX_PARTIES) abort('INVALID_PARAMETERS', 'a reshare needs 2 to 32 session parties');
    if (!Number.isInteger(p.party) || p.party < 0 || p.party >= m.length) abort('INVALID_PARAMETERS', `party must be in [0, ${m.length})`);
    super(ProtocolKind.RESHARE, p.instance, p.party, m.map((_, i) => i), 4, new Set([1, 4]), p.auth);
    this.members = m;
    this.dealers = m.flatMap((x, i) => (x.old === undefined ? [] : [i]));
    this.receivers = m.flatMap((x, i) => (x.new === undefined ? [] : [i])).sort((a, b) => m[a].new! - m[b].new!);
    const n = this.receivers.length;
    this.t = p.threshold;
    if (!Number.isInteger(this.t) || this.t < 2 || this.t > n || n > MAX_PARTIES) abort('INVALID_PARAMETERS', `need integers 2 <= t' <= n' <= ${MAX_PARTIES}, got t'=${this.t} n'=${n}`);
    if (this.receivers.some((r, k) => m[r].new !== k)) abort('INVALID_PARAMETERS', 'new indices must be 0..n\'-1, each once');
    const me = m[p.party];
    if (me.old !== undefined) {
      const k = p.keyShare;
      if (!k || k.party !== me.old) abort('INVALID_PARAMETERS', 'a dealer needs its share of the current generation');
      this.current = { threshold: k.threshold, publicKey: k.publicKey, generation: k.generation, xs: k.xs, publicShares: k.publicShares };
    } else {
      if (!p.current) abort('INVALID_PARAMETERS', 'a receiver that holds no share needs the current generation\'s public data');
      this.current = p.current;
    }
    checkGeneration(this.current);
    const olds = this.dealers.map((d) => m[d].old!);
    if (new Set(olds).size !== olds.length || olds.some((o) => !Number.isInteger(o) || o < 0 || o >= this.current.xs.length)) abort('INVALID_PARAMETERS', 'dealers must be distinct parties of the current generation');
    if (this.dealers.length < this.current.threshold) abort('INVALID_PARAMETERS', `${this.current.threshold} holders of the current generation must deal, ${this.dealers.length} given`);
    this.currentDigest = hash('reshare/current', this.current.publicKey, u32(this.current.threshold), this.current.generation,
      ...this.current.xs.map(encodeScalar), ...this.current.publicShares.map(encodePoint));
    if (me.old !== undefined) {
      const constant = mul(this.lambda(p.party), p.keyShare!.share);
      this.coefficients = randomPolynomial(this.t, constant);
      this.commitments = this.coefficients.map(mulBase);
    }
    this.x = me.new === undefined ? undefined : randomScalar();
  }

  /** Dealer d's Lagrange coefficient at zero over the dealers' current evaluation points. */
  private lambda(d: number): bigint {
    return lagrangeAtZero(this.dealers.map((x) => this.current.xs[this.members[x].old!]), this.dealers.indexOf(d));
  }

  private isDealer(p: number): boolean {
    return this.members[p].old !== undefined;
  }

  private isReceiver(p: number): boolean {
    return this.members[p].new !== undefined;
  }

  private commitment(party: number, coeffs: Uint8Array[], blind: Uint8Array): Uint8Array {
    return hash('reshare/commitment', this.instance, u32(party), ...coeffs, blind);
  }

  private proofContext(party: number, what: string, index: number): Uint8Array[] {
    return [this.fsid, u32(party), Buffer.from(what), u32(index)];
  }

  private baseOtSid(receiver: number, sender: number): Uint8Array {
    return hash('reshare/base-ot', this.fsid, u32(receiver), u32(sender));
  }

  private pprfSid(builder: number, evaluator: number): Uint8Array {
    return hash('reshare/all-but-one', this.fsid, u32(builder), u32(evaluator));
  }

  private zeroSeedTag(a: number, b: number, seed: Uint8Array): Uint8Array {
    return hash('reshare/zero-seed-tag', this.fsid, u32(Math.min(a, b)), u32(Math.max(a, b)), seed);
  }

  /** Receivers other than this party (OT peers). */
  private otPeers(): number[] {
    return this.isReceiver(this.party) ? this.receivers.filter((r) => r !== this.party) : [];
  }

  protected firstRound(): RoundResult<ReshareOutput> {
    const commitment = this.isDealer(this.party) ? this.commitment(this.party, this.commitments.map(encodePoint), this.blind) : new Uint8Array();
    const x = this.x === undefined ? new Uint8Array() : encodeScalar(this.x);
    this.sids.set(this.party, this.sid);
    this.commitmentOf.set(this.party, commitment);
    if (this.x !== undefined) this.xs.set(this.party, this.x);
    const body = dan.tss.ReshareRound1.encode({ sid: this.sid, commitment, x, oldKey: this.currentDigest }).finish();
    return { send: [{ to: 'all', body }] };
  }

  protected handleRound(round: number, bodies: ReadonlyMap<number, Uint8Array>): RoundResult<ReshareOutput> {
    switch (round) {
      case 1:
        return this.afterRound1(bodies);
      case 2:
        return this.afterRound2(bodies);
      case 3:
        return this.afterRound3(bodies);
      default:
        return this.afterRound4(bodies);
    }
  }

  private afterRound1(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<ReshareOutput> {
    const seenX = new Map<bigint, number>(this.x === undefined ? [] : [[this.x, this.party]]);
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.ReshareRound1.decode, body, 'reshare round 1', from);
      check(m.sid.length === 32, 'MALFORMED_MESSAGE', 'reshare round 1: bad session randomness', from);
      check(equalBytes(m.oldKey, this.currentDigest), 'BROADCAST_MISMATCH', 'peer holds another current generation of the key', from);
      check(m.commitment.length === (this.isDealer(from) ? 32 : 0), 'MALFORMED_MESSAGE', 'reshare round 1: a commitment from a dealer only', from);
      if (this.isReceiver(from)) {
        const x = decodeScalar(m.x, 'evaluation point', from, true);
        check(!seenX.has(x), 'NOT_UNIQUE_X', 'evaluation point used by another party', from);
        seenX.set(x, from);
        this.xs.set(from, x);
      } else {
        check(m.x.length === 0, 'MALFORMED_MESSAGE', 'reshare round 1: an evaluation point from a receiver only', from);
      }
      this.sids.set(from, m.sid);
      this.commitmentOf.set(from, m.commitment);
    }
    const roles = this.members.flatMap((x) => [u32(x.old ?? 0xffffffff), u32(x.new ?? 0xffffffff)]);
    this.fsid = hash('reshare/session', this.instance, u32(this.protocol), u32(this.t), this.currentDigest, ...roles,
      ...this.members.map((_, p) => this.sids.get(p)!));
    const seen = this.echo();
    const dealing = this.isDealer(this.party)
      ? {
          coefficients: this.commitments.map(encodePoint),
          blind: this.blind,
          proofs: this.coefficients.map((u, k) => proveDlog(this.proofContext(this.party, 'coefficient', k), u, this.commitments[k])),
        }
      : {};
    const send = this.peers.map((peer) => {
      let baseOt: Uint8Array | undefined;
      if (this.otPeers().includes(peer)) {
        const { state, message } = endemicReceiverStart(this.baseOtSid(this.party, peer));
        this.otReceivers.set(peer, state);
        baseOt = message;
      }
      return { to: peer, body: dan.tss.ReshareRound2.encode({ seen, ...dealing, ...(baseOt ? { baseOt } : {}) }).finish() };
    });
    return { send };
  }

  private afterRound2(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<ReshareOutput> {
    const baseOt = new Map<number, Uint8Array>();
    if (this.isDealer(this.party)) this.polynomials.set(this.party, this.commitments);
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.ReshareRound2.decode, body, 'reshare round 2', from);
      this.checkEcho(from, m.seen);
      if (this.isDealer(from)) {
        check(m.coefficients.length === this.t && m.proofs.length === this.t && m.blind.length === 32, 'MALFORMED_MESSAGE', `expected ${this.t} coefficients and proofs`, from);
        check(equalBytes(this.commitment(from, m.coefficients, m.blind), this.commitmentOf.get(from)!), 'INVALID_COMMITMENT', 'polynomial does not open the round-1 commitment', from);
        const coeffs = m.coefficients.map((c) => decodePoint(c, 'polynomial coefficient', from));
        coeffs.forEach((c, k) => verifyDlog(this.proofContext(from, 'coefficient', k), c, m.proofs[k], from));
        // The constant term must be the dealer's additive share of the key: lambda_d * S_d.
        const expected = mulPublic(this.current.publicShares[this.members[from].old!], this.lambda(from)); // public values
        check(coeffs[0].equals(expected), 'PUBLIC_KEY_MISMATCH', 'dealt polynomial does not keep the dealer\'s share of the key', from);
        this.polynomials.set(from, coeffs);
      } else {
        check(m.coefficients.length === 0 && m.proofs.length === 0, 'MALFORMED_MESSAGE', 'coefficients from a party that does not deal', from);
      }
      const otPeer = this.otPeers().includes(from);
      check(otPeer ? m.baseOt.length > 0 : m.baseOt.length === 0, 'MALFORMED_MESSAGE', 'base OT message between receivers only', from);
      if (otPeer) baseOt.set(from, m.baseOt);
    }
    this.aggregate = Array.from({ length: this.t }, (_, k) => {
      let acc = Point.ZERO;
      for (const c of this.polynomials.values()) acc = acc.add(c[k]);
      return acc;
    });
    check(equalBytes(encodePoint(this.aggregate[0]), this.current.publicKey), 'PUBLIC_KEY_MISMATCH', 'the dealt polynomials do not share the public key');
    this.aggregateBytes = this.aggregate.map((p) => (p.is0() ? new Uint8Array(33) : encodePoint(p)));
    const send = this.peers.map((peer) => {
      const fields: dan.tss.ReshareRound3.$Properties = { aggregate: this.aggregateBytes };
      if (this.isDealer(this.party) && this.isReceiver(peer)) fields.share = encodeScalar(evaluate(this.coefficients, this.xs.get(peer)!));
      if (baseOt.has(peer)) {
        const ot = endemicSend(this.baseOtSid(peer, this.party), baseOt.get(peer)!, peer);
        const pprf = buildPprf(this.pprfSid(this.party, peer), ot.rho0, ot.rho1);
        const zeroSeed = this.members[this.party].new! < this.members[peer].new! ? randomBytes(32) : undefined;
        this.seeds.set(peer, { otLeaves: pprf.leaves, zeroSeed });
        Object.assign(fields, { baseOt: ot.message, pprf: pprf.message, ...(zeroSeed ? { zeroSeed } : {}) });
      }
      return { to: peer, body: dan.tss.ReshareRound3.encode(fields).finish() };
    });
    return { send };
  }

  private afterRound3(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<ReshareOutput> {
    const receiving = this.x !== undefined;
    let share = receiving && this.isDealer(this.party) ? evaluate(this.coefficients, this.x!) : 0n;
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.ReshareRound3.decode, body, 'reshare round 3', from);
      check(m.aggregate.length === this.t && m.aggregate.every((a, k) => equalBytes(a, this.aggregateBytes[k])), 'BROADCAST_MISMATCH', 'peer aggregated a different polynomial', from);
      const dealt = receiving && this.isDealer(from);
      check(dealt ? m.share.length > 0 : m.share.length === 0, 'MALFORMED_MESSAGE', 'a share from a dealer to a receiver only', from);
      if (dealt) {
        const d = decodeScalar(m.share, 'share', from, true);
        const expected = evaluateCommitment(this.polynomials.get(from)!, this.x!);
        check(!expected.is0() && mulBase(d).equals(expected), 'FELDMAN_CHECK_FAILED', 'share does not match the committed polynomial', from);
        share = add(share, d);
      }
      if (!this.otPeers().includes(from)) {
        check(m.baseOt.length === 0 && m.pprf.length === 0 && m.zeroSeed.length === 0, 'MALFORMED_MESSAGE', 'OT messages between receivers only', from);
        continue;
      }
      const ot = endemicReceiverFinish(this.baseOtSid(this.party, from), this.otReceivers.get(from)!, m.baseOt, from);
      const pprf = evalPprf(this.pprfSid(from, this.party), ot.choices, ot.rho, m.pprf, from);
      const seeds = this.seeds.get(from)!;
      const lower = this.members[from].new! < this.members[this.party].new!;
      check(lower ? m.zeroSeed.length === 32 : m.zeroSeed.length === 0, 'MALFORMED_MESSAGE', lower ? 'missing zero-share seed' : 'unexpected zero-share seed', from);
      if (lower) seeds.zeroSeed = m.zeroSeed;
      seeds.otDelta = pprf.delta;
      seeds.otPunctured = pprf.leaves;
    }
    const fields: dan.tss.ReshareRound4.$Properties = { publicKey: this.current.publicKey };
    if (receiving) {
      check(share !== 0n, 'INVALID_SCALAR', 'new share is zero');
      this.share = share;
      this.publicShare = mulBase(share);
      fields.publicShare = encodePoint(this.publicShare);
      fields.proof = proveDlog(this.proofContext(this.party, 'share', 0), share, this.publicShare);
      fields.zeroSeedTags = this.receivers.map((r) => (r === this.party ? new Uint8Array() : this.zeroSeedTag(this.party, r, this.seeds.get(r)!.zeroSeed!)));
    }
    return { send: [{ to: 'all', body: dan.tss.ReshareRound4.encode(fields).finish() }] };
  }

  private afterRound4(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<ReshareOutput> {
    const xs = this.receivers.map((r) => this.xs.get(r)!);
    const publicShares = xs.map((x) => evaluateCommitment(this.aggregate, x));
    if (this.x !== undefined) check(publicShares[this.members[this.party].new!].equals(this.publicShare), 'CONSISTENCY_CHECK_FAILED', 'own share does not match the aggregate polynomial');
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.ReshareRound4.decode, body, 'reshare round 4', from);
      check(equalBytes(m.publicKey, this.current.publicKey), 'PUBLIC_KEY_MISMATCH', 'peer computed a different public key', from);
      if (!this.isReceiver(from)) {
        check(m.publicShare.length === 0 && !m.proof && m.zeroSeedTags.length === 0, 'MALFORMED_MESSAGE', 'a public share from a receiver only', from);
        continue;
      }
      const s = decodePoint(m.publicShare, 'public share', from);
      check(s.equals(publicShares[this.members[from].new!]), 'CONSISTENCY_CHECK_FAILED', 'public share does not match the aggregate polynomial', from);
      verifyDlog(this.proofContext(from, 'share', 0), s, m.proof, from);
      if (this.otPeers().includes(from)) {
        const tag = m.zeroSeedTags.length === this.receivers.length ? m.zeroSeedTags[this.members[this.party].new!] : undefined;
        check(!!tag && equalBytes(tag, this.zeroSeedTag(this.party, from, this.seeds.get(from)!.zeroSeed!)), 'CONSISTENCY_CHECK_FAILED', 'peer holds a different zero-share seed', from);
      }
    }
    const pk = this.current.publicKey;
    if (this.x === undefined) return { send: [], output: { publicKey: pk, generation: this.fsid } };
    const peers = new Map<number, PeerSeeds>();
    for (const [p, s] of this.seeds) peers.set(this.members[p].new!, s as PeerSeeds);
    const share: KeyShare = {
      threshold: this.t,
      parties: this.receivers.length,
      party: this.members[this.party].new!,
      publicKey: pk,
      generation: this.fsid,
      share: this.share,
      xs,
      publicShares,
      peers,
    };
    return { send: [], output: { publicKey: pk, generation: this.fsid, share } };
  }

  protected override onAbort(): void {
    this.coefficients.fill(0n);
    this.share = 0n;
    this.seeds.clear();
    this.otReceivers.clear();
  }
}

/** A generation's public data as bytes (GenerationRecord), e.g. to hand to a worker or a joining node. */
export function encodeGeneration(g: GenerationPublic): Uint8Array {
  return dan.tss.GenerationRecord.encode({ threshold: g.threshold, publicKey: g.publicKey, generation: g.generation, xs: g.xs.map(encodeScalar), publicShares: g.publicShares.map(encodePoint) }).finish();
}

/** The inverse of encodeGeneration; MALFORMED_MESSAGE (or INVALID_POINT/SCALAR) for bytes that are not one. */
export function decodeGeneration(b: Uint8Array): GenerationPublic {
  let r: dan.tss.GenerationRecord;
  try {
    r = dan.tss.GenerationRecord.decode(b);
  } catch {
    abort('MALFORMED_MESSAGE', 'undecodable generation record');
  }
  return {
    threshold: r.threshold,
    publicKey: r.publicKey,
    generation: r.generation,
    xs: r.xs.map((x) => decodeScalar(x, 'evaluation point', undefined, true)),
    publicShares: r.publicShares.map((p) => decodePoint(p, 'public share')),
  };
}

/** The current generation's public data must be a key: distinct points, shares that interpolate to it. */
function checkGeneration(g: GenerationPublic): void {
  const n = g.xs.length;
  if (!Number.isInteger(g.threshold) || g.threshold < 2 || g.threshold > n || g.publicShares.length !== n) abort('INVALID_PARAMETERS', 'current generation: bad threshold or sizes');
  if (new Set(g.xs).size !== n || g.xs.some((x) => x === 0n)) abort('INVALID_PARAMETERS', 'current generation: evaluation points must be distinct and non-zero');
  let sum = Point.ZERO;
  g.xs.forEach((_, p) => (sum = sum.add(mulPublic(g.publicShares[p], lagrangeAtZero(g.xs, p))))); // public values only
  if (!equalBytes(encodePoint(sum), g.publicKey)) abort('INVALID_PARAMETERS', 'current generation: public shares do not interpolate to the public key');
}
