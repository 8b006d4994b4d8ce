// Schnorr proof of knowledge of a discrete logarithm (Fiat-Shamir), bound to a context.
// The context must name the session, the prover and what is proven (as in DKLs23's DKG, Doerner-Kondi-Lee-shelat 2023), so a
// proof cannot be replayed in another session, by another party or for another statement.
import { abort } from '../errors.ts';
import { hash } from '../hash.ts';
import { G, Point, decodePoint, encodePoint, mulBase, mulPublic } from './point.ts';
import { add, decodeScalar, encodeScalar, mul, randomScalar, reduce } from './scalar.ts';

export interface DlogProof {
  t: Uint8Array; // 33-byte point
  s: Uint8Array; // 32-byte scalar
}

function challenge(context: Uint8Array[], statement: Point, commitment: Uint8Array): bigint {
  return reduce(hash('dlog/challenge', ...context, encodePoint(statement), commitment));
}

/** Prove knowledge of x with X = x*G. */
export function proveDlog(context: Uint8Array[], x: bigint, statement: Point): DlogProof {
  const k = randomScalar();
  const t = encodePoint(mulBase(k));
  const c = challenge(context, statement, t);
  return { t, s: encodeScalar(add(k, mul(c, x))) };
}

/** Verify a proof received from `party`; aborts with INVALID_PROOF (or a decoding error). */
export function verifyDlog(context: Uint8Array[], statement: Point, proof: { t?: Uint8Array | null; s?: Uint8Array | null } | null | undefined, party: number): void {
  if (!proof) abort('INVALID_PROOF', 'missing proof', party);
  const t = decodePoint(proof.t ?? undefined, 'proof commitment', party);
  const s = decodeScalar(proof.s ?? undefined, 'proof response', party);
  const c = challenge(context, statement, proof.t!);
  // s*G == T + c*X: s (the response) and c (the challenge) are public, so variable-time multiplication is fine.
  if (!mulPublic(G, s).equals(t.add(mulPublic(statement, c)))) abort('INVALID_PROOF', 'discrete-log proof does not verify', party);
}
