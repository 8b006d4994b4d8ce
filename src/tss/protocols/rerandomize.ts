// One presignature of a master key, used for a derived key and re-randomized (Groth & Shoup, "On
// the security of ECDSA with additive key derivation and presignatures", Eurocrypt 2022, ePrint
// 2021/1330). The master key X = x*G; a derived key Y = X + eps*G (secret y = x + eps) for a public
// tweak eps; the re-randomizer delta makes the nonce R' = delta*R (k' = delta*k), r' = R'.x mod q.
// DKLs23 presigning leaves signer i with phi_i, s0_i, s1_i where sum s0_i = r*x*phi and
// sum s1_i = k*phi (public-values.ts). Since r is public and non-zero, s0_i/r is a share of x*phi,
// so every adjustment is local algebra:
//   s0*_i = (r'/r)*s0_i + r'*eps*phi_i      (sum = r'*y*phi)
//   s1*_i = delta*s1_i                      (sum = k'*phi)
// and the partial on digest m stays m*phi_i + s0*_i: sum / sum = (m + r'*y)/k', an ECDSA signature
// under Y with nonce R'. The public values follow publicly (so a wrong partial is still named):
//   PHI*_i = delta*PHI_i,  S1*_i = delta*S1_i,
//   B*_i = s0*_i*R' - (r'*s1*_i)*Y = delta*(r'/r)*B_i + (r'*eps*delta)*(PHI_i - S1_i).
// The security of serving many derived keys from one pool rests on delta being unpredictable to
// whoever chooses (m, eps) when they choose them (docs/derived-keys.md). So delta is a hash of the
// use (presignature, Y, eps, m, signers) and of a seed rho_j from every signer, each committed to
// in presigning round 1 (echoed, so all signers hold the same commitments) and opened only after
// the signer bound the presignature to that use, durably: until an honest signer opens its seed,
// delta is unknown to everyone else; once it does, its presignature can serve no other use; a
// dishonest signer cannot steer delta, its seed being fixed by its commitment.
import { abort, check } from '../errors.ts';
import { equalBytes, hash, u32, u32list } from '../hash.ts';
import { decodeCompressedX, decodeRawOrIdentity, encodeRawOrIdentity, mulPublicRaw, sumRaw } from '../math/point.ts';
import { Q, add, encodeScalar, inv, mul, neg, reduce } from '../math/scalar.ts';
import type { PresignPublicValues } from './public-values.ts';

/** How a presignature of the master key is used: for derived key X + tweak*G, with nonce delta*R. */
export interface Rerandomization {
  /** eps: 0 for the master key itself. */
  tweak: bigint;
  /** delta: non-zero. */
  delta: bigint;
}

/** The public scalars of one use of a presignature: r = R.x, r' = R'.x (mod q) and R' itself. */
export interface Rerandomized {
  noncePoint: Uint8Array;
  r: bigint;
  rPrime: bigint;
}

/** A signer's commitment to its re-randomizer seed (presigning round 1). */
export function rerandomizerCommitment(party: number, seed: Uint8Array): Uint8Array {
  return hash('presign/rerandomizer', u32(party), seed);
}

/** One use of a presignature of the master key, and the signers' opened seeds. */
export interface PresignatureUse {
  presignatureId: Uint8Array;
  /** R, as pooled. */
  noncePoint: Uint8Array;
  /** Y = X + tweak*G (derive.ts). */
  derivedPublicKey: Uint8Array;
  tweak: bigint;
  digest: Uint8Array;
  /** Party ids of the signers, ascending. */
  signers: readonly number[];
  /** Every signer's opened seed, in signer order. */
  seeds: readonly Uint8Array[];
}

/**
 * delta = H(presignature id, R, Y, eps, m, signers, seeds) mod q. With `commitments` (in signer
 * order), every seed must open its signer's commitment first: INVALID_COMMITMENT names the first
 * one that does not.
 */
export function rerandomizerDelta(u: PresignatureUse, commitments?: readonly Uint8Array[]): bigint {
  check(u.seeds.length === u.signers.length && u.digest.length === 32, 'INVALID_PARAMETERS', 'one seed per signer and a 32-byte digest');
  if (commitments) {
    check(commitments.length === u.signers.length, 'INVALID_PARAMETERS', 'one commitment per signer');
    u.signers.forEach((party, j) => {
      check(u.seeds[j].length === 32 && equalBytes(rerandomizerCommitment(party, u.seeds[j]), commitments[j]), 'INVALID_COMMITMENT', 're-randomizer seed does not open its commitment', party);
    });
  }
  const delta = reduce(hash('rerandomize/delta', u.presignatureId, u.noncePoint, u.derivedPublicKey, encodeScalar(u.tweak), u.digest, u32list(u.signers), ...u.seeds));
  if (delta === 0n) abort('INVALID_PARAMETERS', 'zero re-randomizer');
  return delta;
}

/** R' = delta*R and the scalars r, r' (both must be non-zero). Points on libsecp256k1 (public data). */
export function rerandomizeNonce(noncePoint: Uint8Array, delta: bigint): Rerandomized {
  check(delta > 0n && delta < Q, 'INVALID_PARAMETERS', 'delta must be a non-zero scalar');
  const r = decodeCompressedX(noncePoint, 'nonce point').x % Q;
  const moved = encodeRawOrIdentity(mulPublicRaw(decodeRawOrIdentity(noncePoint, 'nonce point'), delta));
  const rPrime = decodeCompressedX(moved, 're-randomized nonce point').x % Q;
  check(r !== 0n && rPrime !== 0n, 'INVALID_PARAMETERS', 'degenerate nonce point');
  return { noncePoint: moved, r, rPrime };
}

/** A signer's (s0, s1) for the derived key and re-randomized nonce (phi is unchanged). */
export function rerandomizeShares(s0: bigint, s1: bigint, phi: bigint, adj: Rerandomization, n: Rerandomized): { s0: bigint; s1: bigint } {
  return { s0: add(mul(mul(n.rPrime, inv(n.r)), s0), mul(mul(n.rPrime, adj.tweak), phi)), s1: mul(adj.delta, s1) };
}

/** A signer's public values for the derived key and re-randomized nonce, from the pooled ones. */
export function rerandomizePublicValues(v: PresignPublicValues, adj: Rerandomization, n: Rerandomized, party?: number): PresignPublicValues {
  const phi = decodeRawOrIdentity(v.phi, 'public value PHI', party);
  const s1 = decodeRawOrIdentity(v.s1, 'public value S1', party);
  const b = decodeRawOrIdentity(v.b, 'public value B', party);
  const c = mul(mul(n.rPrime, adj.tweak), adj.delta); // B* = delta*(r'/r)*B + c*PHI - c*S1
  const bStar = sumRaw([mulPublicRaw(b, mul(adj.delta, mul(n.rPrime, inv(n.r)))), mulPublicRaw(phi, c), mulPublicRaw(s1, neg(c))]);
  return { phi: encodeRawOrIdentity(mulPublicRaw(phi, adj.delta)), s1: encodeRawOrIdentity(mulPublicRaw(s1, adj.delta)), b: encodeRawOrIdentity(bStar) };
}
