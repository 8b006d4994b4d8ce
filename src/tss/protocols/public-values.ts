// Public values of a presignature, which make every partial signature verifiable on its own, so a
// wrong partial is attributed to its signer instead of only failing the combined signature.
// Presign algebra (DKLs23: J. Doerner, Y. Kondi, E. Lee, a. shelat, "Threshold ECDSA in Three
// Rounds", IEEE S&P 2024, ePrint 2023/765): R = k*G is the nonce point, X = x*G the
// public key, r = R.x mod q, m the digest as a scalar. Signer i holds phi_i, s0_i, s1_i with
// sum s0_i = r*x*phi and sum s1_i = k*phi (phi = sum phi_i); its partial is (s0'_i, s1_i) with
// s0'_i = m*phi_i + s0_i, and the signature is s = sum s0' / sum s1 = (m + r*x)/k.
// At the end of presigning signer i computes, with constant-time multiplications (secret scalars):
//   PHI_i = phi_i*R,   S1_i = s1_i*G,   B_i = s0_i*R - (r*s1_i)*X.
// Honest values satisfy sum (PHI_i - S1_i) = O (both sums are phi*k*G) and sum B_i = O
// (sum s0_i*R = r*x*phi*k*G = r*(sum s1_i)*X). The combiner checks these sums when it pools the
// presignature (`checkPublicValues`; a failure is not attributable: drop the presignature).
// A partial of signer i is valid iff  s1_i*G = S1_i  and  s0'_i*R = m*PHI_i + B_i + (r*s1_i)*X.
// If the sums hold and every partial is valid, (sum s0')*R = m*(sum S1) + r*(sum s1)*X
// = (sum s1)*(m*G + r*X), i.e. the combined signature verifies. So when it does not, at least one
// partial fails its own check, and an honest signer's never does (its values satisfy the check
// identically, whatever the others did): the signers whose partials fail are the ones to name.
// Encoding: 33-byte compressed points; the identity (B_i is the identity with negligible
// probability, S1_i only if s1_i = 0) is 33 zero bytes (IDENTITY_ENCODING in math/point.ts).
// Security (an argument, not a proof): S1_i = s1_i*G, and B_i = s0'_i*R - m*PHI_i - (r*s1_i)*X
// once PHI_i is known, are functions of signer i's partial (s0'_i, s1_i), m and the public points R
// and X, which the combiner learns when it signs anyway; published at presign time they are images
// of scalars that are revealed later, and discrete logs stay hidden. PHI_i = phi_i*R is the one
// value that i's own partial does not fix; the partials fix the sum, sum PHI_i = (sum s1_i)*G. With
// t-1 corrupted signers the honest signer's PHI_i = (sum s1)*G - sum_{j corrupted} phi_j*R is then
// computable from the partials and the adversary's own phi_j; with more honest signers only the
// sum of theirs is fixed, each phi_i being a fresh uniformly random mask of this presignature that
// the adversary otherwise sees only as psi = phi_i - chi under a chi it does not know (RVOLE
// receiver privacy). Verification below handles public data only, so it uses variable-time
// arithmetic (mulPublic).
import { abort, check } from '../errors.ts';
import { equalBytes } from '../hash.ts';
import { G, Point, decodePointOrIdentity, decodeRawOrIdentity, mulAddSecretEncoded, mulBaseEncoded, mulPublic, sumRaw } from '../math/point.ts';
import { mul, neg } from '../math/scalar.ts';

/** A signer's public values for one presignature: 33-byte encodings of PHI_i, S1_i and B_i. */
export interface PresignPublicValues {
  phi: Uint8Array;
  s1: Uint8Array;
  b: Uint8Array;
}

/**
 * Signer i's public values from its presignature secrets (three constant-time multiplications by
 * a point and one by G). `noncePoint` is R, `publicKey` X (SEC1 bytes), r = R.x mod q.
 */
export function computePublicValues(noncePoint: Uint8Array, publicKey: Uint8Array, r: bigint, phi: bigint, s0: bigint, s1: bigint): PresignPublicValues {
  return {
    phi: mulAddSecretEncoded(noncePoint, phi),
    s1: mulBaseEncoded(s1),
    b: mulAddSecretEncoded(noncePoint, s0, publicKey, neg(mul(r, s1))),
  };
}

/**
 * Check, for the public values of every signer of one presignature, that sum (PHI_i - S1_i) = O and
 * sum B_i = O. A malformed encoding aborts with INVALID_POINT naming its signer; sums that do not
 * hold abort with CONSISTENCY_CHECK_FAILED, attributed to nobody (any signer may have lied, or a
 * presign peer may have sent a wrong psi, which nothing in presigning can detect).
 */
export function checkPublicValues(values: ReadonlyMap<number, PresignPublicValues>): void {
  check(values.size > 0, 'INVALID_PARAMETERS', 'no public values');
  const phis: (Uint8Array | null)[] = [];
  const s1s: (Uint8Array | null)[] = [];
  const bs: (Uint8Array | null)[] = [];
  for (const [party, v] of values) {
    phis.push(decodeRawOrIdentity(v.phi, 'public value PHI', party));
    s1s.push(decodeRawOrIdentity(v.s1, 'public value S1', party));
    bs.push(decodeRawOrIdentity(v.b, 'public value B', party));
  }
  const phiSum = sumRaw(phis);
  const s1Sum = sumRaw(s1s);
  const sameSum = phiSum === null || s1Sum === null ? phiSum === s1Sum : equalBytes(phiSum, s1Sum);
  check(sameSum, 'CONSISTENCY_CHECK_FAILED', 'presignature public values: sum of PHI differs from sum of S1');
  check(sumRaw(bs) === null, 'CONSISTENCY_CHECK_FAILED', 'presignature public values: sum of B is not the identity');
}

/** Public values decoded for verification. */
export interface DecodedPublicValues {
  phi: Point;
  s1: Point;
  b: Point;
}

export function decodePublicValues(v: PresignPublicValues | undefined, party: number): DecodedPublicValues {
  if (!v) abort('INVALID_PARAMETERS', `no public values for signer ${party}`);
  return {
    phi: decodePointOrIdentity(v.phi, 'public value PHI', party),
    s1: decodePointOrIdentity(v.s1, 'public value S1', party),
    b: decodePointOrIdentity(v.b, 'public value B', party),
  };
}

/**
 * Whether a partial (s0', s1) on digest scalar m matches its signer's public values:
 * s1*G = S1 and s0'*R = m*PHI + B + (r*s1)*X. Everything here is public (variable time is fine).
 */
export function partialMatches(values: DecodedPublicValues, R: Point, X: Point, r: bigint, m: bigint, s0: bigint, s1: bigint): boolean {
  if (!mulPublic(G, s1).equals(values.s1)) return false;
  const expected = mulPublic(values.phi, m).add(values.b).add(mulPublic(X, mul(r, s1)));
  return mulPublic(R, s0).equals(expected);
}
