// Combining partial signatures into an ECDSA signature (DKLs23 Protocol 3.6, the last step), by any party or by a
// coordinator that holds no share. s = sum(s0') / sum(s1); r = R.x mod q; low-s; recovery id; and
// the signature is verified against the public key before it is returned: nothing earlier
// validates psi, so a wrong partial is only caught here, and then it is an error, never an
// invalid signature.
// Attribution: given the signers' public values of the presignature (public-values.ts, pooled and
// sum-checked by the combiner beforehand), a signature that does not verify is followed by a check
// of every partial on its own, and the abort (INVALID_PARTIAL) names the first signer, in id order,
// whose partial fails; `faultyPartials` returns them all. The happy path verifies only the
// signature. Without public values a wrong partial is reported as INVALID_SIGNATURE (unattributed).
// Every partial names the presignature it comes from (id, nonce point R, signer set). Given
// `expected` (what the combiner pooled for this presignature), each partial is compared with it
// and one that differs is named (INVALID_PARTIAL; the first in id order, the message lists all;
// `faultyPartials` returns them with the others). Without it the partials can only be compared
// with each other, and the one that differs from the first is named: a wrong first partial then
// names an honest signer, so a combiner that knows the presignature should pass `expected`.
import { dan } from '../../proto/index.ts';
import { abort, check } from '../errors.ts';
import { equalBytes } from '../hash.ts';
import { decodeCompressedX, decodePoint, verifyEcdsa } from '../math/point.ts';
import { HALF_Q, Q, add, decodeScalar, encodeScalar, inv, mul, neg, reduce } from '../math/scalar.ts';
import { type PresignPublicValues, checkPublicValues, decodePublicValues, partialMatches } from './public-values.ts';

export interface Signature {
  r: bigint;
  s: bigint;
  /** Recovery id (0 or 1). */
  recovery: number;
  /** Ethereum v = 27 + recovery. */
  v: number;
  /** 65 bytes r || s || v. */
  signature: Uint8Array;
}

export interface CombineParams {
  publicKey: Uint8Array;
  digest: Uint8Array;
  partials: readonly Uint8Array[];
  /** Every signer's public values of this presignature (party -> values), to name a wrong partial. */
  publicValues?: ReadonlyMap<number, PresignPublicValues>;
  /** The presignature the combiner pooled: every partial must name it, or its signer is named. */
  expected?: ExpectedPresignature;
}

/** The public identity of a presignature (Presignature.id, .noncePoint, .signers). */
export interface ExpectedPresignature {
  presignatureId: Uint8Array;
  /** R, 33 bytes compressed. */
  noncePoint: Uint8Array;
  /** Party ids of the signers (any order). */
  signers: readonly number[];
}

interface DecodedPartial {
  from: number;
  s0: bigint;
  s1: bigint;
}

interface DecodedPartials {
  noncePoint: Uint8Array;
  /** The partials that name the expected presignature (all of them without `expected`). */
  partials: DecodedPartial[];
  /** Signers whose partial names another presignature than `expected`, in id order. */
  mismatched: number[];
}

const samePresignature = (p: dan.tss.PartialSignature, x: ExpectedPresignature): boolean =>
  equalBytes(p.presignatureId, x.presignatureId) && equalBytes(p.noncePoint, x.noncePoint) &&
  p.signers.length === x.signers.length && p.signers.every((s, i) => s === x.signers[i]);

/**
 * Decode the partials and check they are one per signer of the same presignature: `expected`, or
 * without it the one the first partial names (a partial that differs from it aborts).
 */
function decodePartials(partials: readonly Uint8Array[], expected?: ExpectedPresignature): DecodedPartials {
  check(partials.length > 0, 'INVALID_PARAMETERS', 'no partial signatures');
  if (expected) {
    check(expected.presignatureId instanceof Uint8Array && expected.noncePoint instanceof Uint8Array && Array.isArray(expected.signers), 'INVALID_PARAMETERS', 'malformed expected presignature');
  }
  const decoded = partials.map((p, i) => {
    try {
      return dan.tss.PartialSignature.decode(p);
    } catch {
      abort('INVALID_PARTIAL', `partial ${i} does not decode`);
    }
  });
  const first = decoded[0];
  const reference: ExpectedPresignature = expected ? { ...expected, signers: [...expected.signers].sort((x, y) => x - y) } : first;
  const signers = reference.signers;
  check(signers.length === partials.length, 'INVALID_PARTIAL', `expected ${signers.length} partials, got ${partials.length}`);
  const seen = new Set<number>();
  const mismatched: number[] = [];
  const matching = decoded.filter((p) => {
    check(signers.includes(p.from) && !seen.has(p.from), 'INVALID_PARTIAL', 'partial from an unexpected or repeated signer', p.from);
    seen.add(p.from);
    if (samePresignature(p, reference)) return true;
    if (!expected) abort('INVALID_PARTIAL', 'partials come from different presignatures', p.from);
    mismatched.push(p.from);
    return false;
  });
  const out = matching.map((p) => ({ from: p.from, s0: decodeScalar(p.s0, 's0', p.from), s1: decodeScalar(p.s1, 's1', p.from) }));
  return { noncePoint: reference.noncePoint, partials: out, mismatched: mismatched.sort((a, b) => a - b) };
}

export function combineSignature({ publicKey, digest, partials, publicValues, expected }: CombineParams): Signature {
  check(digest.length === 32, 'INVALID_PARAMETERS', 'digest must be 32 bytes');
  const decoded = decodePartials(partials, expected);
  if (decoded.mismatched.length > 0) {
    const [named] = decoded.mismatched;
    abort('INVALID_PARTIAL', `partial names another presignature than the one pooled (signers that differ: ${decoded.mismatched.join(', ')})`, named);
  }
  let sigma0 = 0n;
  let sigma1 = 0n;
  for (const p of decoded.partials) {
    sigma0 = add(sigma0, p.s0);
    sigma1 = add(sigma1, p.s1);
  }
  // A wrong partial: named when the public values allow it, else reported as a wrong signature.
  const invalid = (message: string): never => {
    if (publicValues) {
      const faulty = faultyDecoded(publicKey, digest, decoded, publicValues);
      if (faulty.length > 0) abort('INVALID_PARTIAL', 'partial signature does not match the signer\'s public values', faulty[0]);
      checkPublicValues(publicValues); // every partial matches: then the values' sums cannot hold
    }
    abort('INVALID_SIGNATURE', message);
  };
  if (sigma1 === 0n) invalid('degenerate partial signatures');
  const { x, odd } = decodeCompressedX(decoded.noncePoint, 'nonce point');
  check(x < Q, 'INVALID_SIGNATURE', 'R.x >= q: not expressible with an Ethereum v; use another presignature');
  const r = x;
  let s = mul(sigma0, inv(sigma1));
  check(r !== 0n, 'INVALID_SIGNATURE', 'degenerate signature');
  if (s === 0n) invalid('degenerate signature');
  let recovery = odd ? 1 : 0;
  if (s > HALF_Q) {
    s = neg(s);
    recovery ^= 1;
  }
  const compact = new Uint8Array(64);
  compact.set(encodeScalar(r), 0);
  compact.set(encodeScalar(s), 32);
  if (!verifyEcdsa(digest, publicKey, compact)) invalid('combined signature does not verify: a partial signature is wrong');
  const signature = new Uint8Array(65);
  signature.set(compact, 0);
  signature[64] = 27 + recovery;
  return { r, s, recovery, v: 27 + recovery, signature };
}

/**
 * Every signer whose partial does not match its public values, in id order (empty when all match);
 * with `expected`, also every signer whose partial names another presignature. Throws like
 * combineSignature when the partials are malformed (or, without `expected`, from different
 * presignatures), and INVALID_PARAMETERS when a signer has no public values.
 */
export function faultyPartials({ publicKey, digest, partials, publicValues, expected }: CombineParams & { publicValues: ReadonlyMap<number, PresignPublicValues> }): number[] {
  check(digest.length === 32, 'INVALID_PARAMETERS', 'digest must be 32 bytes');
  const decoded = decodePartials(partials, expected);
  return [...decoded.mismatched, ...faultyDecoded(publicKey, digest, decoded, publicValues)].sort((a, b) => a - b);
}

function faultyDecoded(publicKey: Uint8Array, digest: Uint8Array, decoded: DecodedPartials, publicValues: ReadonlyMap<number, PresignPublicValues>): number[] {
  if (decoded.partials.length === 0) return [];
  const R = decodePoint(decoded.noncePoint, 'nonce point');
  const X = decodePoint(publicKey, 'public key');
  const r = decodeCompressedX(decoded.noncePoint, 'nonce point').x % Q;
  const m = reduce(digest);
  const values = new Map(decoded.partials.map((p) => [p.from, decodePublicValues(publicValues.get(p.from), p.from)]));
  return decoded.partials
    .filter((p) => !partialMatches(values.get(p.from)!, R, X, r, m, p.s0, p.s1))
    .map((p) => p.from)
    .sort((a, b) => a - b);
}
