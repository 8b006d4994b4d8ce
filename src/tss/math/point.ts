// Points of secp256k1.
// Public arithmetic on Point objects (additions, decoding, validation) uses @noble/curves. Every
// product of a *secret* scalar with a point, and the hot public work on raw bytes, goes through
// libsecp256k1 (secp256k1.ts: native, else WebAssembly), constant time for secrets and about
// 10-40x faster than the pure-JS ladder.
// Received points are decoded with `decodePoint`: on the curve, canonical, never the identity.
// Where a value may legitimately be the identity (a presignature's public values, see
// protocols/public-values.ts), it is encoded as 33 zero bytes (`IDENTITY_ENCODING`).
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { abort } from '../errors.ts';
import { equalBytes } from '../hash.ts';
import { Q, bytesToBigInt, encodeScalar } from './scalar.ts';
import { curve } from './secp256k1.ts';

export const Point = secp256k1.Point;
export type Point = InstanceType<typeof secp256k1.Point>;
export const G: Point = Point.BASE;

/** Decode a 33-byte compressed point from a peer; rejects malformed encodings and the identity. */
export function decodePoint(b: Uint8Array | undefined, what: string, party?: number): Point {
  if (!b || b.length !== 33 || (b[0] !== 2 && b[0] !== 3)) abort('INVALID_POINT', `${what}: expected a 33-byte compressed point`, party);
  // libsecp256k1 finds y (a square root noble would compute in JavaScript); a 33-byte encoding of
  // a point on the curve is never the identity.
  let uncompressed: Uint8Array;
  try {
    uncompressed = curve.convert(b, false);
  } catch {
    abort('INVALID_POINT', `${what}: not on the curve`, party);
  }
  return Point.fromBytes(uncompressed);
}

/**
 * x (as an integer) and the y parity of a 33-byte compressed point, after libsecp256k1 checks it is
 * on the curve: what ECDSA needs of a nonce point, without a square root in JavaScript.
 */
export function decodeCompressedX(b: Uint8Array | undefined, what: string, party?: number): { x: bigint; odd: boolean } {
  if (!b || b.length !== 33 || (b[0] !== 2 && b[0] !== 3)) abort('INVALID_POINT', `${what}: expected a 33-byte compressed point`, party);
  if (!curve.isPoint(b)) abort('INVALID_POINT', `${what}: not on the curve`, party);
  return { x: bytesToBigInt(b, 1, 32), odd: b[0] === 3 };
}

export function encodePoint(p: Point): Uint8Array {
  if (p.is0()) abort('INVALID_POINT', 'cannot encode the identity');
  return p.toBytes(true);
}

/** 33 zero bytes: the encoding of the identity where one is allowed. */
export const IDENTITY_ENCODING: Uint8Array = new Uint8Array(33);

const isIdentityEncoding = (b: Uint8Array): boolean => b.length === 33 && b.every((x) => x === 0);

/** `decodePoint`, except that 33 zero bytes decode to the identity. */
export function decodePointOrIdentity(b: Uint8Array | undefined, what: string, party?: number): Point {
  return b && isIdentityEncoding(b) ? Point.ZERO : decodePoint(b, what, party);
}

/**
 * A received point that may be the identity (33 zero bytes), checked and decompressed by
 * libsecp256k1 (no square root in JavaScript): 65-byte uncompressed SEC1, null for the identity.
 */
export function decodeRawOrIdentity(b: Uint8Array | undefined, what: string, party?: number): Uint8Array | null {
  if (b && isIdentityEncoding(b)) return null;
  if (!b || b.length !== 33 || (b[0] !== 2 && b[0] !== 3)) abort('INVALID_POINT', `${what}: expected a 33-byte compressed point`, party);
  try {
    return curve.convert(b, false); // throws when b is not on the curve
  } catch {
    abort('INVALID_POINT', `${what}: not on the curve`, party);
  }
}

/** Sum of points in raw form (65-byte SEC1, null for the identity), in libsecp256k1 (public data). */
export function sumRaw(points: readonly (Uint8Array | null)[]): Uint8Array | null {
  let acc: Uint8Array | null = null;
  for (const p of points) {
    if (!p) continue;
    acc = acc ? curve.add(acc, p, false) : p;
  }
  return acc;
}

/** secret * G, constant time. The scalar must be in [1, q). */
export function mulBase(secret: bigint): Point {
  if (secret <= 0n || secret >= Q) abort('INVALID_SCALAR', 'mulBase: scalar out of range');
  return Point.fromBytes(curve.mulBase(encodeScalar(secret), false));
}

/** a*X == Y + b*G for secret a, b (a != 0) and points X, Y: constant time in a and b, in libsecp256k1. */
export function scaledEquals(x: Point, a: bigint, b: bigint, y: Point): boolean {
  if (a === 0n) return false;
  const lhs = curve.mulSecret(x.toBytes(false), encodeScalar(a));
  const rhs = b === 0n ? y.toBytes(false) : curve.add(y.toBytes(false), curve.mulBase(encodeScalar(b), false), false);
  return rhs !== null && equalBytes(lhs, rhs);
}

/**
 * a*P + b*Q for secret scalars, constant time (P and Q in SEC1 bytes; Q may be omitted with b = 0),
 * as a 33-byte compressed point, IDENTITY_ENCODING for the identity.
 */
export function mulAddSecretEncoded(p: Uint8Array, a: bigint, q?: Uint8Array, b = 0n): Uint8Array {
  // A zero scalar is refused by libsecp256k1; it stands for the identity term here.
  const ap = a === 0n ? null : curve.mulSecret(p, encodeScalar(a));
  const bq = b === 0n || !q ? null : curve.mulSecret(q, encodeScalar(b));
  const sum = ap && bq ? curve.add(ap, bq, true) : ap || bq ? curve.convert((ap ?? bq)!, true) : null;
  return sum ?? IDENTITY_ENCODING.slice();
}

/** secret * G, constant time, compressed; IDENTITY_ENCODING for a zero scalar. */
export function mulBaseEncoded(secret: bigint): Uint8Array {
  return secret === 0n ? IDENTITY_ENCODING.slice() : curve.mulBase(encodeScalar(secret), true);
}

/** secret * G on raw bytes (65-byte uncompressed output), for hot loops. */
export function mulBaseRaw(secret: Uint8Array): Uint8Array {
  return curve.mulBase(secret, false);
}

/** ECDSA verification (libsecp256k1; 5-20x faster than the JS verifier). Requires low s. */
export function verifyEcdsa(digest: Uint8Array, publicKey: Uint8Array, compact: Uint8Array): boolean {
  const key = uncompressedKey(publicKey);
  return key !== undefined && curve.verify(digest, key, compact);
}

// Public keys in uncompressed form (parsing needs no square root), for the few keys a process uses.
const uncompressed = new Map<string, Uint8Array>();
function uncompressedKey(publicKey: Uint8Array): Uint8Array | undefined {
  const hex = Buffer.from(publicKey).toString('hex');
  let key = uncompressed.get(hex);
  if (!key) {
    if (!curve.isPoint(publicKey)) return undefined; // validated before libsecp256k1 parses it
    key = curve.convert(publicKey, false);
    if (uncompressed.size >= 1024) uncompressed.delete(uncompressed.keys().next().value!);
    uncompressed.set(hex, key);
  }
  return key;
}

/** public * P for a public scalar (variable time is fine: nothing secret is involved). */
export function mulPublic(p: Point, scalar: bigint): Point {
  return scalar === 0n ? Point.ZERO : p.multiplyUnsafe(scalar);
}

/**
 * public * P on raw points in libsecp256k1 (about 20x faster than the JavaScript multiply): P as
 * SEC1 bytes or null for the identity; the product likewise (65-byte uncompressed, or null).
 */
export function mulPublicRaw(p: Uint8Array | null, scalar: bigint): Uint8Array | null {
  return p === null || scalar === 0n ? null : curve.mulPublic(p, encodeScalar(scalar));
}

/** A raw point (SEC1, or null for the identity) as 33 compressed bytes, IDENTITY_ENCODING for the identity. */
export function encodeRawOrIdentity(p: Uint8Array | null): Uint8Array {
  return p === null ? IDENTITY_ENCODING.slice() : curve.convert(p, true);
}

/** x-coordinate of P reduced mod q (ECDSA r), and whether x >= q (recovery-id bit 1). */
export function xModQ(p: Point, q: bigint): { r: bigint; overflow: boolean } {
  const x = p.toAffine().x;
  return x >= q ? { r: x - q, overflow: true } : { r: x, overflow: false };
}
