// Scalars of secp256k1: integers modulo the group order q, as bigint.
// Wire form: 32-byte big-endian, canonical (< q). Everything that arrives from a peer goes through
// `decodeScalar`, which rejects non-canonical values; `reduce` is only for hash and PRG outputs.
// Note: bigint arithmetic is not constant time in JavaScript; secret scalars never index memory or
// steer branches here, and scalar-point products go through the constant-time code in point.ts.
import { randomBytes } from '@noble/hashes/utils.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { abort } from '../errors.ts';

export const Q: bigint = secp256k1.Point.Fn.ORDER;
export const HALF_Q = Q >> 1n;

export const mod = (a: bigint): bigint => {
  const r = a % Q;
  return r < 0n ? r + Q : r;
};
export const add = (a: bigint, b: bigint): bigint => mod(a + b);
export const sub = (a: bigint, b: bigint): bigint => mod(a - b);
export const mul = (a: bigint, b: bigint): bigint => (a * b) % Q;
export const neg = (a: bigint): bigint => (a === 0n ? 0n : Q - a);

/** Modular inverse (extended Euclid); throws on zero. */
export function inv(a: bigint): bigint {
  a = mod(a);
  if (a === 0n) abort('INVALID_SCALAR', 'inverse of zero');
  let [r0, r1] = [Q, a];
  let [t0, t1] = [0n, 1n];
  while (r1 !== 0n) {
    const qt = r0 / r1;
    [r0, r1] = [r1, r0 - qt * r1];
    [t0, t1] = [t1, t0 - qt * t1];
  }
  return mod(t0);
}

/** Big-endian bytes to bigint (no range check). */
export function bytesToBigInt(b: Uint8Array, offset = 0, length = b.length - offset): bigint {
  if (length === 32) return read256(viewOf(b), offset);
  if (length === 0) return 0n;
  return BigInt('0x' + Buffer.from(b.buffer, b.byteOffset + offset, length).toString('hex'));
}

// 256-bit big-endian <-> bigint as four 64-bit words through a DataView: about 3x faster than a
// round trip through a hex string, and no strings or buffers are allocated. Hot loops create one
// DataView per buffer and call read256/write256 directly (offsets are relative to the view).

/** A DataView over exactly the bytes of b. */
export function viewOf(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** The 32 bytes at v[offset..offset+32] as a big-endian integer in [0, 2^256). */
export function read256(v: DataView, offset: number): bigint {
  return (((((v.getBigUint64(offset) << 64n) | v.getBigUint64(offset + 8)) << 64n) | v.getBigUint64(offset + 16)) << 64n) | v.getBigUint64(offset + 24);
}

const TWO_256 = 1n << 256n;

/** Writes x (in [0, 2^256)) big-endian at v[offset..offset+32]. */
export function write256(v: DataView, offset: number, x: bigint): void {
  if (x < 0n || x >= TWO_256) throw new RangeError('write256: value out of range');
  // setBigUint64 stores the low 64 bits of its argument (ToBigUint64), so no masking is needed.
  // The last word is written first: an out-of-bounds offset throws before anything is written.
  v.setBigUint64(offset + 24, x);
  v.setBigUint64(offset + 16, x >> 64n);
  v.setBigUint64(offset + 8, x >> 128n);
  v.setBigUint64(offset, x >> 192n);
}

/** 32-byte big-endian encoding of a value in [0, 2^256). */
export function encodeScalar(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  write256(new DataView(out.buffer), 0, x);
  return out;
}

/** Writes the 32-byte encoding of x at out[offset..offset+32]. */
export function encodeScalarInto(x: bigint, out: Uint8Array, offset: number): void {
  write256(viewOf(out), offset, x);
}

/** Reduce 32 hash/PRG bytes modulo q (the bias is below 2^-127). */
export function reduce(b: Uint8Array, offset = 0): bigint {
  return reduce256(read256(viewOf(b), offset));
}

/** `reduce` for a value already read with read256. */
export function reduce256(x: bigint): bigint {
  return x >= Q ? x - Q : x;
}

/** Decode a canonical scalar received from a peer; `nonZero` also rejects 0. */
export function decodeScalar(b: Uint8Array | undefined, what: string, party?: number, nonZero = false): bigint {
  if (!b || b.length !== 32) abort('INVALID_SCALAR', `${what}: expected 32 bytes`, party);
  return checkScalar(read256(viewOf(b), 0), what, party, nonZero);
}

/** `decodeScalar` of the 32 bytes at v[offset..] (the caller has checked the length). */
export function decodeScalarAt(v: DataView, offset: number, what: string, party?: number, nonZero = false): bigint {
  return checkScalar(read256(v, offset), what, party, nonZero);
}

function checkScalar(x: bigint, what: string, party: number | undefined, nonZero: boolean): bigint {
  if (x >= Q) abort('INVALID_SCALAR', `${what}: not below the group order`, party);
  if (nonZero && x === 0n) abort('INVALID_SCALAR', `${what}: zero`, party);
  return x;
}

/** Uniform non-zero scalar from the CSPRNG (rejection sampling on 256-bit strings). */
export function randomScalar(): bigint {
  for (;;) {
    const x = bytesToBigInt(randomBytes(32));
    if (x !== 0n && x < Q) return x;
  }
}

/**
 * `count` uniform scalars in [1, q) as 32-byte encodings, from one CSPRNG call (for loops that need
 * hundreds: one call per scalar costs more than the bytes). A chunk out of range (probability
 * about 2^-128 each) is replaced by a fresh draw.
 */
export function randomScalarsEncoded(count: number): Uint8Array[] {
  const bytes = randomBytes(32 * count);
  const view = viewOf(bytes);
  const out: Uint8Array[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const x = read256(view, 32 * i);
    out[i] = x !== 0n && x < Q ? bytes.subarray(32 * i, 32 * i + 32) : encodeScalar(randomScalar());
  }
  return out;
}

export { randomBytes };
