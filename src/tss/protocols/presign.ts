// Presigning for a signer set of exactly t parties (DKLs23 "Protocol 3.6", rounds 1-3).
// Message-independent: the output is a presignature (R, phi_i, s_0, s_1) that is later turned into
// a partial signature for one digest, once, together with this party's public values
// (PHI_i, S1_i, B_i; public-values.ts) that let a combiner verify that partial.
// Round 1 (broadcast, signed with the identity key over instance, protocol, sender and body;
// verified on receipt, BAD_BROADCAST_SIGNATURE names the sender): fresh session randomness, a
// commitment to R_i = r_i*G and a commitment to a fresh re-randomizer seed rho_i, kept secret in
// the presignature until it is bound to one use for a derived key (rerandomize.ts). The echo of
// round 2 makes every signer hold the same commitments.
// Round 2 (private): per peer, the RVOLE receiver message (this party's random chi toward the peer)
// and `seen`: per signer its signed round-1 broadcast as the sender received it. Another body
// that verifies under its signer's key proves that signer equivocated (named, both messages as
// evidence, `proof`); one that does not verify names the echo's sender; another body under this
// party's own key names nobody. An honest party can never be named (rule in echo.ts).
// Round 3 (private): per peer, the RVOLE sender message with inputs (r_i, sk_i), the opened R_i,
// pk_i = sk_i*G, Gamma_u, Gamma_v (ties the RVOLE inputs to R_i and pk_i) and psi = phi_i - chi.
// sk_i = lambda_i*s_i + zeta_i is the per-session additive key share (zeta: zero shares keyed by
// the session digest). Checks: round-1 signatures (on receipt), round-1 views (`seen`, round 2),
// session-hash and digest echoes (rounds 2 and 3; after `seen` matched, a differing one names its
// sender), R_i commitments, RVOLE consistency, R_j*chi = d_u*G + Gamma_u and
// pk_j*chi = d_v*G + Gamma_v (ban on failure), sum(pk) = PK.
import { dan } from '../../proto/index.ts';
import { abort, check } from '../errors.ts';
import { equalBytes, hash, u32, u32list } from '../hash.ts';
import type { KeyShare } from '../keyshare.ts';
import { Point, decodePoint, encodePoint, encodeRawOrIdentity, mulBase, scaledEquals, sumRaw } from '../math/point.ts';
import { lagrangeAtZero } from '../math/polynomial.ts';
import { add, decodeScalar, encodeScalar, mul, randomBytes, randomScalar, reduce, sub } from '../math/scalar.ts';
import { type RvoleReceiverState, rvoleReceiverFinish, rvoleReceiverStart, rvoleSend } from '../ot/rvole.ts';
import type { BroadcastAuth } from './echo.ts';
import { ProtocolKind, RoundMachine, type RoundResult, decodeBody } from './machine.ts';
import { Presignature } from './presignature.ts';
import { computePublicValues } from './public-values.ts';
import { rerandomizerCommitment } from './rerandomize.ts';

export interface PresignParams {
  /** 32-byte id of this run, unique and agreed by the signers. */
  instance: Uint8Array;
  keyShare: KeyShare;
  /** Party ids of the signers (exactly `threshold` of them, including this party). */
  signers: readonly number[];
  /** This party's identity signatures; verifies every signer's round-1 broadcast (echo.ts). */
  auth: BroadcastAuth;
}


export class PresignParty extends RoundMachine<Presignature> {
  private readonly key: KeyShare;
  private readonly signers: number[];
  private readonly sid = randomBytes(32);
  private readonly blind = randomBytes(32);
  private readonly phi = randomScalar();
  private readonly r = randomScalar();
  private readonly bigR: Point;
  private readonly ownCommitment: Uint8Array;
  private readonly rerandomizerSeed = randomBytes(32);

  private sids = new Map<number, Uint8Array>();
  private commitments = new Map<number, Uint8Array>();
  private rerandomizerCommitments = new Map<number, Uint8Array>();
  private sessionHash: Uint8Array = new Uint8Array();
  private digest: Uint8Array = new Uint8Array();
  private receivers = new Map<number, RvoleReceiverState>();
  private senderShares = new Map<number, [bigint, bigint]>();
  private sk = 0n;
  private pk: Point = Point.ZERO;

  constructor(p: PresignParams) {
    const key = p.keyShare;
    const signers = [...p.signers].sort((a, b) => a - b);
    if (signers.length !== key.threshold) abort('INVALID_PARAMETERS', `need exactly ${key.threshold} signers, got ${signers.length}`);
    if (signers.some((s) => !Number.isInteger(s) || s < 0 || s >= key.parties)) abort('INVALID_PARAMETERS', 'signer id out of range');
    super(ProtocolKind.PRESIGN, p.instance, key.party, signers, 3, new Set([1]), p.auth);
    this.key = key;
    this.signers = signers;
    this.bigR = mulBase(this.r);
    this.ownCommitment = this.commitNonce(this.party, this.sid, encodePoint(this.bigR), this.blind);
  }

  private commitNonce(party: number, sid: Uint8Array, nonce: Uint8Array, blind: Uint8Array): Uint8Array {
    return hash('presign/nonce-commitment', this.instance, u32(party), sid, nonce, blind);
  }

  /** RVOLE session id for the instance where `sender` sends and `receiver` receives. */
  private rvoleSid(sender: number, receiver: number): Uint8Array {
    return hash('presign/rvole', this.sessionHash, u32(sender), u32(receiver));
  }

  protected firstRound(): RoundResult<Presignature> {
    this.sids.set(this.party, this.sid);
    this.commitments.set(this.party, this.ownCommitment);
    const rerandomizer = rerandomizerCommitment(this.party, this.rerandomizerSeed);
    this.rerandomizerCommitments.set(this.party, rerandomizer);
    return { send: [{ to: 'all', body: dan.tss.PresignRound1.encode({ sid: this.sid, commitment: this.ownCommitment, rerandomizerCommitment: rerandomizer }).finish() }] };
  }

  protected handleRound(round: number, bodies: ReadonlyMap<number, Uint8Array>): RoundResult<Presignature> {
    if (round === 1) return this.afterRound1(bodies);
    if (round === 2) return this.afterRound2(bodies);
    return this.afterRound3(bodies);
  }

  private afterRound1(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<Presignature> {
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.PresignRound1.decode, body, 'presign round 1', from);
      check(m.sid.length === 32 && m.commitment.length === 32 && m.rerandomizerCommitment.length === 32, 'MALFORMED_MESSAGE', 'presign round 1: bad field sizes', from);
      for (const [p, s] of this.sids) check(!equalBytes(s, m.sid) && !equalBytes(this.commitments.get(p)!, m.commitment), 'MALFORMED_MESSAGE', 'repeated session randomness', from);
      this.sids.set(from, m.sid);
      this.commitments.set(from, m.commitment);
      this.rerandomizerCommitments.set(from, m.rerandomizerCommitment);
    }
    this.sessionHash = hash('presign/session', this.instance, this.key.generation, this.key.publicKey, u32list(this.signers),
      ...this.signers.map((p) => this.sids.get(p)!));
    this.digest = hash('presign/digest', this.sessionHash, ...this.signers.flatMap((p) => [u32(p), this.sids.get(p)!, this.commitments.get(p)!, this.rerandomizerCommitments.get(p)!]));
    const seen = this.echo();
    const send = this.peers.map((peer) => {
      const { state, message } = rvoleReceiverStart(this.rvoleSid(peer, this.party), this.key.peers.get(peer)!.otLeaves);
      this.receivers.set(peer, state);
      return { to: peer, body: dan.tss.PresignRound2.encode({ sessionHash: this.sessionHash, rvole: message, seen }).finish() };
    });
    return { send };
  }

  /** This party's zero share for the session: sum of pairwise PRF terms, signed by party order. */
  private zeroShare(): bigint {
    let zeta = 0n;
    for (const peer of this.peers) {
      const term = reduce(hash('presign/zero-share', this.key.peers.get(peer)!.zeroSeed, this.digest));
      zeta = peer < this.party ? add(zeta, term) : sub(zeta, term);
    }
    return zeta;
  }

  private afterRound2(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<Presignature> {
    const messages = new Map<number, Uint8Array>();
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.PresignRound2.decode, body, 'presign round 2', from);
      this.checkEcho(from, m.seen);
      check(equalBytes(m.sessionHash, this.sessionHash), 'BROADCAST_MISMATCH', 'peer derived a different session id', from);
      messages.set(from, m.rvole);
    }
    const xs = this.signers.map((p) => this.key.xs[p]);
    const lambda = lagrangeAtZero(xs, this.signers.indexOf(this.party));
    this.sk = add(mul(lambda, this.key.share), this.zeroShare());
    check(this.sk !== 0n, 'INVALID_SCALAR', 'degenerate key share for this session');
    this.pk = mulBase(this.sk);
    const send = this.peers.map((peer) => {
      const seeds = this.key.peers.get(peer)!;
      const { c, message } = rvoleSend(this.rvoleSid(this.party, peer), seeds.otDelta, seeds.otPunctured, messages.get(peer)!, [this.r, this.sk], peer);
      this.senderShares.set(peer, c);
      const body = dan.tss.PresignRound3.encode({
        sessionHash: this.sessionHash,
        rvole: message,
        digest: this.digest,
        publicShare: encodePoint(this.pk),
        noncePoint: encodePoint(this.bigR),
        blind: this.blind,
        gammaU: encodePoint(mulBase(c[0])),
        gammaV: encodePoint(mulBase(c[1])),
        psi: encodeScalar(sub(this.phi, this.receivers.get(peer)!.chi)),
      }).finish();
      return { to: peer, body };
    });
    return { send };
  }

  private afterRound3(bodies: ReadonlyMap<number, Uint8Array>): RoundResult<Presignature> {
    // Sums in libsecp256k1 on 65-byte points (null: the identity): no field inversion in JavaScript.
    let bigR: Uint8Array | null = this.bigR.toBytes(false);
    let pkSum: Uint8Array | null = this.pk.toBytes(false);
    let psiSum = 0n;
    let u = 0n;
    let v = 0n;
    for (const [from, body] of bodies) {
      const m = decodeBody(dan.tss.PresignRound3.decode, body, 'presign round 3', from);
      check(equalBytes(m.sessionHash, this.sessionHash), 'BROADCAST_MISMATCH', 'peer derived a different session id', from);
      check(equalBytes(m.digest, this.digest), 'BROADCAST_MISMATCH', 'peers saw different round-1 broadcasts', from);
      check(m.blind.length === 32, 'MALFORMED_MESSAGE', 'presign round 3: bad blind', from);
      const rj = decodePoint(m.noncePoint, 'nonce point', from);
      const pkj = decodePoint(m.publicShare, 'public share', from);
      const gammaU = decodePoint(m.gammaU, 'Gamma_u', from);
      const gammaV = decodePoint(m.gammaV, 'Gamma_v', from);
      const psi = decodeScalar(m.psi, 'psi', from);
      check(equalBytes(this.commitNonce(from, this.sids.get(from)!, m.noncePoint, m.blind), this.commitments.get(from)!), 'INVALID_COMMITMENT', 'nonce point does not open its commitment', from);
      const receiver = this.receivers.get(from)!;
      const chi = receiver.chi;
      const [du, dv] = rvoleReceiverFinish(receiver, m.rvole, from);
      // The peer's RVOLE inputs must be the committed r_j and the announced sk_j.
      check(scaledEquals(rj, chi, du, gammaU), 'RVOLE_CHECK_FAILED', 'RVOLE input does not match the nonce point', from, true);
      check(scaledEquals(pkj, chi, dv, gammaV), 'RVOLE_CHECK_FAILED', 'RVOLE input does not match the public share', from, true);
      const [cu, cv] = this.senderShares.get(from)!;
      bigR = sumRaw([bigR, rj.toBytes(false)]);
      pkSum = sumRaw([pkSum, pkj.toBytes(false)]);
      psiSum = add(psiSum, psi);
      u = add(u, add(cu, du));
      v = add(v, add(cv, dv));
    }
    check(pkSum !== null && equalBytes(encodeRawOrIdentity(pkSum), this.key.publicKey), 'CONSISTENCY_CHECK_FAILED', 'public shares do not sum to the public key');
    check(bigR !== null, 'CONSISTENCY_CHECK_FAILED', 'nonce point is the identity');
    const rx = reduce(bigR, 1); // x mod q
    const phiPlusPsi = add(this.phi, psiSum);
    const s0 = mul(rx, add(mul(this.sk, phiPlusPsi), v));
    const s1 = add(mul(this.r, phiPlusPsi), u);
    const output = new Presignature({
      id: this.sessionHash,
      keyGeneration: this.key.generation,
      publicKey: this.key.publicKey,
      signers: this.signers,
      party: this.party,
      noncePoint: encodeRawOrIdentity(bigR),
      phi: this.phi,
      s0,
      s1,
      // Uncompressed inputs spare libsecp256k1 square roots (both points are already affine here).
      publicValues: computePublicValues(bigR, pkSum, rx, this.phi, s0, s1),
      rerandomizer: { seed: this.rerandomizerSeed, commitments: this.signers.map((p) => this.rerandomizerCommitments.get(p)!) },
    });
    this.sk = 0n;
    return { send: [], output };
  }

  protected override onAbort(): void {
    this.sk = 0n;
    this.receivers.clear();
    this.senderShares.clear();
  }
}

