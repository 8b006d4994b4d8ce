// Distributed key generation and refresh for t-of-n (DKLs23, Doerner-Kondi-Lee-shelat 2023; refresh: docs/refresh.md).
// Feldman VSS with commit-then-reveal: round 1 commits to each party's polynomial commitments and
// evaluation point; round 2 opens them with a Schnorr proof per coefficient and starts the base
// OTs; round 3 sends each peer its share privately together with the aggregate polynomial (echo
// check), the base-OT reply, the all-but-one OT message and a zero-share seed; round 4 broadcasts
// the public key and each public share with a proof. Every hash and proof is bound to the
// instance id and to the final session id, which mixes every party's fresh randomness.
// Broadcast consistency: round 1 is signed with each party's identity key over (instance,
// protocol, sender, body) and verified on receipt (BAD_BROADCAST_SIGNATURE names the sender).
// Round 2 carries `seen`, per party its signed round-1 broadcast as the sender received it. An
// entry with another body that verifies under its party's key proves that party signed two
// round-1 broadcasts: it is named, with both signed messages as evidence (`proof`); an entry that
// does not verify names the echo's sender, who lied; another body under this party's own key
// names nobody (its key signed behind its back). No honest party can be named: only its own
// signature or its own echo could accuse it (attribution rule in echo.ts). Round 3 echoes the
// aggregate polynomial; round 4 echoes the public key and confirms every pairwise zero-share seed
// with a hash tag.
// Refresh runs the same protocol with the constant term fixed to the party's additive share of the
// old key (lambda_i * s_i); the aggregate constant must equal the old public key. It produces new
// shares, evaluation points, OT seeds and zero-share seeds, and a new generation id; a party whose
// constant term is not lambda_j times its old public share is named.
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
import type { BroadcastAuth } from './echo.ts';
import { ProtocolKind, RoundMachine, type RoundResult, decodeBody } from './machine.ts';

export const MAX_PARTIES = 16;

export interface DkgParams {
  /** 32-byte id of this run, unique and agreed by all parties (e.g. chosen by the coordinator). */
  instance: Uint8Array;
  threshold: number;
  parties: number;
  party: number;
  /** This party's identity signatures; verifies every party's round-1 broadcast (echo.ts). */
  auth: BroadcastAuth;
}

export interface RefreshParams {
  instance: Uint8Array;
  keyShare: KeyShare;
  /** This party's identity signatures; verifies every party's round-1 broadcast (echo.ts). */
  auth: BroadcastAuth;
}

interface Round1 {
  sid: Uint8Array;
  commitment: Uint8Array;
  x: bigint;
}

export class DkgParty extends RoundMachine<KeyShare> {
  private readonly t: number;
  private readonly n: number;
  private readonly coefficients: bigint[];
  private readonly commitments: Point[];
  private readonly x: bigint;
  private readonly sid = randomBytes(32);
  private readonly blind = randomBytes(32);
  private readonly refreshOf: KeyShare | undefined;

  private round1 = new Map<number, Round1>();
  private fsid: Uint8Array = new Uint8Array();
  private otReceivers = new Map<number, EndemicReceiverState>();
  private aggregate: Point[] = [];
  private aggregateBytes: Uint8Array[] = [];
  private polyCommitments = new Map<number, Point[]>();
  private seeds = new Map<number, Partial<PeerSeeds>>();
  private publicKey: Point = Point.ZERO;
  private share = 0n;
  private publicShare: Point = Point.ZERO;

  static dkg(p: DkgParams): DkgParty {
    return new DkgParty(ProtocolKind.DKG, p.instance, p.threshold, p.parties, p.party, p.auth);
  }

  static refresh(p: RefreshParams): DkgParty {
    return new DkgParty(ProtocolKind.REFRESH, p.instance, p.keyShare.threshold, p.keyShare.parties, p.keyShare.party, p.auth, p.keyShare);
  }

  private constructor(kind: ProtocolKind, instance: Uint8Array, t: number, n: number, party: number, auth: BroadcastAuth, refreshOf?: KeyShare) {
    if (!Number.isInteger(t) || !Number.isInteger(n) || t < 2 || t > n || n > MAX_PARTIES) {
      abort('INVALID_PARAMETERS', `need integers 2 <= t <= n <= ${MAX_PARTIES}, got t=${t} n=${n}`);
    }
    if (!Number.isInteger(party) || party < 0 || party >= n) abort('INVALID_PARAMETERS', `party must be in [0, ${n})`);
    super(kind, instance, party, Array.from({ length: n }, (_, i) => i), 4, new Set([1, 4]), auth);
    this.t = t;
    this.n = n;
    this.refreshOf = refreshOf;
    // Refresh: the constant term is this party's additive share of the old key.
    const constant = refreshOf ? mul(lagrangeAtZero(refreshOf.xs, party), refreshOf.share) : undefined;
    this.coefficients = randomPolynomial(t, constant);
    this.commitments = this.coefficients.map(mulBase);
    this.x = randomScalar();
  }

  private commitment(party: number, x: bigint, coeffs: Uint8Array[], blind: Uint8Array): Uint8Array {
    return hash('dkg/commitment', this.instance, u32(party), encodeScalar(x), ...coeffs, blind);
  }

  private proofContext(party: number, what: string, index: number): Uint8Array[] {
    return [this.fsid, u32(party), Buffer.from(what), u32(index)];
  }

  protected firstRound(): RoundResult<KeyShare> {
    const coeffs = this.commitments.map(encodePoint);
    const body = dan.tss.DkgRound1.encode({ sid: this.sid, commitment: this.commitment(this.party, this.x, coeffs, this.blind), x: encodeScalar(this.x) }).finish();
    this.round1.set(this.party, { sid: this.sid, commitment: this.commitment(this.party, this.x, coeffs, this.blind), x: this.x });
    return { send: [{ to: 'all', body }] };
  }

  protected handleRound(round: number, bodies: ReadonlyMap<number, Uint8Array>): RoundResult<KeyShare> {
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

  private afterRound1(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<KeyShare> {
    const seenX = new Map<bigint, number>([[this.x, this.party]]);
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.DkgRound1.decode, body, 'DKG round 1', from);
      check(m.sid.length === 32 && m.commitment.length === 32, 'MALFORMED_MESSAGE', 'DKG round 1: bad field sizes', from);
      const x = decodeScalar(m.x, 'evaluation point', from, true);
      check(!seenX.has(x), 'NOT_UNIQUE_X', 'evaluation point used by another party', from);
      seenX.set(x, from);
      this.round1.set(from, { sid: m.sid, commitment: m.commitment, x });
    }
    const ordered = [...Array(this.n).keys()];
    this.fsid = hash('dkg/session', this.instance, u32(this.protocol), u32(this.t), u32(this.n), this.refreshOf?.generation ?? new Uint8Array(),
      ...ordered.map((p) => this.round1.get(p)!.sid));
    const seen = this.echo();
    const proofs = this.coefficients.map((u, k) => proveDlog(this.proofContext(this.party, 'coefficient', k), u, this.commitments[k]));
    const coefficients = this.commitments.map(encodePoint);
    const send = this.peers.map((peer) => {
      const { state, message } = endemicReceiverStart(this.baseOtSid(this.party, peer));
      this.otReceivers.set(peer, state);
      const body = dan.tss.DkgRound2.encode({ coefficients, blind: this.blind, proofs, baseOt: message, seen }).finish();
      return { to: peer, body };
    });
    return { send };
  }

  /** Confirmation tag of the zero-share seed shared with `peer`. */
  private zeroSeedTag(peer: number, seed: Uint8Array): Uint8Array {
    return hash('dkg/zero-seed-tag', this.fsid, u32(Math.min(this.party, peer)), u32(Math.max(this.party, peer)), seed);
  }

  /** Session id of the base OT where `receiver` receives and `sender` sends. */
  private baseOtSid(receiver: number, sender: number): Uint8Array {
    return hash('dkg/base-ot', this.fsid, u32(receiver), u32(sender));
  }

  /** Session id of the all-but-one OT built by `builder` for `evaluator`. */
  private pprfSid(builder: number, evaluator: number): Uint8Array {
    return hash('dkg/all-but-one', this.fsid, u32(builder), u32(evaluator));
  }

  private afterRound2(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<KeyShare> {
    const baseOt = new Map<number, Uint8Array>();
    this.polyCommitments.set(this.party, this.commitments);
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.DkgRound2.decode, body, 'DKG round 2', from);
      this.checkEcho(from, m.seen);
      check(m.coefficients.length === this.t && m.proofs.length === this.t, 'MALFORMED_MESSAGE', `expected ${this.t} coefficients and proofs`, from);
      check(m.blind.length === 32, 'MALFORMED_MESSAGE', 'DKG round 2: bad blind', from);
      const r1 = this.round1.get(from)!;
      check(equalBytes(this.commitment(from, r1.x, m.coefficients, m.blind), r1.commitment), 'INVALID_COMMITMENT', 'polynomial does not open the round-1 commitment', from);
      const coeffs = m.coefficients.map((c) => decodePoint(c, 'polynomial coefficient', from));
      coeffs.forEach((c, k) => verifyDlog(this.proofContext(from, 'coefficient', k), c, m.proofs[k], from));
      this.polyCommitments.set(from, coeffs);
      baseOt.set(from, m.baseOt);
    }
    // Aggregate polynomial F = sum of every party's commitments.
    this.aggregate = Array.from({ length: this.t }, (_, k) => {
      let acc = Point.ZERO;
      for (const c of this.polyCommitments.values()) acc = acc.add(c[k]);
      return acc;
    });
    check(!this.aggregate[0].is0(), 'PUBLIC_KEY_MISMATCH', 'aggregate public key is the identity');
    if (this.refreshOf) {
      // Each party's constant term must be its additive share of the old key: lambda_p * S_p.
      const old = this.refreshOf;
      for (const [p, c] of this.polyCommitments) {
        const expected = mulPublic(old.publicShares[p], lagrangeAtZero(old.xs, p)); // public point, public scalar
        check(c[0].equals(expected), 'PUBLIC_KEY_MISMATCH', 'refresh polynomial does not keep the party\'s share of the key', p);
      }
      check(equalBytes(encodePoint(this.aggregate[0]), old.publicKey), 'PUBLIC_KEY_MISMATCH', 'refresh changed the public key');
    }
    this.publicKey = this.aggregate[0];
    this.aggregateBytes = this.aggregate.map((p) => (p.is0() ? new Uint8Array(33) : encodePoint(p)));
    const send = this.peers.map((peer) => {
      const ot = endemicSend(this.baseOtSid(peer, this.party), baseOt.get(peer)!, peer);
      const pprf = buildPprf(this.pprfSid(this.party, peer), ot.rho0, ot.rho1);
      const zeroSeed = this.party < peer ? randomBytes(32) : undefined;
      this.seeds.set(peer, { otLeaves: pprf.leaves, zeroSeed });
      const body = dan.tss.DkgRound3.encode({
        aggregate: this.aggregateBytes,
        share: encodeScalar(evaluate(this.coefficients, this.round1.get(peer)!.x)),
        baseOt: ot.message,
        pprf: pprf.message,
        zeroSeed: zeroSeed ?? new Uint8Array(),
      }).finish();
      return { to: peer, body };
    });
    return { send };
  }

  private afterRound3(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<KeyShare> {
    let share = evaluate(this.coefficients, this.x);
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.DkgRound3.decode, body, 'DKG round 3', from);
      check(m.aggregate.length === this.t && m.aggregate.every((a, k) => equalBytes(a, this.aggregateBytes[k])), 'BROADCAST_MISMATCH', 'peer aggregated a different polynomial', from);
      const d = decodeScalar(m.share, 'share', from, true);
      // Feldman: the share must lie on the peer's committed polynomial.
      const expected = evaluateCommitment(this.polyCommitments.get(from)!, this.x);
      check(!expected.is0() && mulBase(d).equals(expected), 'FELDMAN_CHECK_FAILED', 'share does not match the committed polynomial', from);
      share = add(share, d);
      const ot = endemicReceiverFinish(this.baseOtSid(this.party, from), this.otReceivers.get(from)!, m.baseOt, from);
      const pprf = evalPprf(this.pprfSid(from, this.party), ot.choices, ot.rho, m.pprf, from);
      const seeds = this.seeds.get(from)!;
      if (from < this.party) {
        check(m.zeroSeed.length === 32, 'MALFORMED_MESSAGE', 'missing zero-share seed', from);
        seeds.zeroSeed = m.zeroSeed;
      } else {
        check(m.zeroSeed.length === 0, 'MALFORMED_MESSAGE', 'unexpected zero-share seed', from);
      }
      seeds.otDelta = pprf.delta;
      seeds.otPunctured = pprf.leaves;
    }
    check(share !== 0n, 'INVALID_SCALAR', 'aggregate share is zero');
    this.share = share;
    const publicShare = mulBase(share);
    this.publicShare = publicShare;
    const proof = proveDlog(this.proofContext(this.party, 'share', 0), share, publicShare);
    const zeroSeedTags = [...Array(this.n).keys()].map((p) => (p === this.party ? new Uint8Array() : this.zeroSeedTag(p, this.seeds.get(p)!.zeroSeed!)));
    const body = dan.tss.DkgRound4.encode({ publicKey: encodePoint(this.publicKey), publicShare: encodePoint(publicShare), proof, zeroSeedTags }).finish();
    return { send: [{ to: 'all', body }] };
  }

  private afterRound4(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<KeyShare> {
    const ids = [...Array(this.n).keys()];
    const xs = ids.map((p) => this.round1.get(p)!.x);
    const publicShares = ids.map((p) => evaluateCommitment(this.aggregate, xs[p]));
    check(publicShares[this.party].equals(this.publicShare), 'CONSISTENCY_CHECK_FAILED', 'own share does not match the aggregate polynomial');
    const pk = encodePoint(this.publicKey);
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.DkgRound4.decode, body, 'DKG round 4', from);
      check(equalBytes(m.publicKey, pk), 'PUBLIC_KEY_MISMATCH', 'peer computed a different public key', from);
      const s = decodePoint(m.publicShare, 'public share', from);
      check(s.equals(publicShares[from]), 'CONSISTENCY_CHECK_FAILED', 'public share does not match the aggregate polynomial', from);
      verifyDlog(this.proofContext(from, 'share', 0), s, m.proof, from);
      // The zero-share seed travelled in round 3; both ends must hold the same one.
      const tag = m.zeroSeedTags.length === this.n ? m.zeroSeedTags[this.party] : undefined;
      check(!!tag && equalBytes(tag, this.zeroSeedTag(from, this.seeds.get(from)!.zeroSeed!)), 'CONSISTENCY_CHECK_FAILED', 'peer holds a different zero-share seed', from);
    }
    // The public shares interpolate to the public key (over all n points).
    let sum = Point.ZERO;
    ids.forEach((p) => (sum = sum.add(mulPublic(publicShares[p], lagrangeAtZero(xs, p))))); // public values only
    check(sum.equals(this.publicKey), 'PUBLIC_KEY_MISMATCH', 'public shares do not interpolate to the public key');
    const peers = new Map<number, PeerSeeds>();
    for (const [p, s] of this.seeds) peers.set(p, s as PeerSeeds);
    return {
      send: [],
      output: {
        threshold: this.t,
        parties: this.n,
        party: this.party,
        publicKey: pk,
        generation: this.fsid,
        share: this.share,
        xs,
        publicShares,
        peers,
      },
    };
  }

  protected override onAbort(): void {
    this.coefficients.fill(0n);
    this.share = 0n;
    this.seeds.clear();
    this.otReceivers.clear();
  }
}

