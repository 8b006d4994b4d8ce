// Additive key derivation: a derived key Y = X + eps*G of a master key X = x*G, for a public tweak
// eps computed from who owns the key and what it is for. Every party computes eps and Y itself; a
// derived key needs no DKG and no share of its own (its secret y = x + eps is never assembled).
// Never export a derived secret: with eps public, y reveals x.
// The tweak (known-answer values in test/tss/derive.test.ts):
//   eps = SHA-256(lp("dan-node/derive/v1") || lp(network id) || lp(X, 33 bytes compressed)
//                 || lp(owner, 20 bytes) || lp(path)) mod q,   lp(b) = u32be(len(b)) || b
// and is refused if zero (probability 2^-256).
import { createHash } from 'node:crypto';
import { check } from '../errors.ts';
import { decodeRawOrIdentity, encodeRawOrIdentity, mulBaseRaw, sumRaw } from '../math/point.ts';
import { Q, encodeScalar, reduce } from '../math/scalar.ts';

export const DERIVE_DOMAIN = 'dan-node/derive/v1';

export interface TweakInput {
  /** The network the key belongs to (its EIP-712 domain name: keys of two networks never collide). */
  network: string;
  /** X: the master public key, 33 bytes compressed. */
  masterPublicKey: Uint8Array;
  /** The authenticated owner's address, 20 bytes. */
  owner: Uint8Array;
  /** What the key is for (the owner's choice: an app, a session, a counter). */
  path: string;
}

export function deriveTweak(t: TweakInput): bigint {
  check(t.masterPublicKey.length === 33, 'INVALID_PARAMETERS', 'master public key must be 33 bytes compressed');
  check(t.owner.length === 20, 'INVALID_PARAMETERS', 'owner must be a 20-byte address');
  const h = createHash('sha256');
  for (const part of [Buffer.from(DERIVE_DOMAIN), Buffer.from(t.network, 'utf8'), t.masterPublicKey, t.owner, Buffer.from(t.path, 'utf8')]) {
    const lp = Buffer.alloc(4);
    lp.writeUInt32BE(part.length, 0);
    h.update(lp).update(part);
  }
  const eps = reduce(new Uint8Array(h.digest()));
  check(eps !== 0n, 'INVALID_PARAMETERS', 'zero tweak');
  return eps;
}

/** Y = X + tweak*G (33 bytes compressed); refuses a tweak that would make Y the identity. */
export function derivedPublicKey(masterPublicKey: Uint8Array, tweak: bigint): Uint8Array {
  check(tweak >= 0n && tweak < Q, 'INVALID_PARAMETERS', 'tweak out of range');
  const X = decodeRawOrIdentity(masterPublicKey, 'master public key');
  check(X !== null, 'INVALID_PARAMETERS', 'the master public key is the identity');
  const Y = tweak === 0n ? X : sumRaw([X, mulBaseRaw(encodeScalar(tweak))]);
  check(Y !== null, 'INVALID_PARAMETERS', 'tweak cancels the master key');
  return encodeRawOrIdentity(Y);
}
