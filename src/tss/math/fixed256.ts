// Sums modulo q on 256-bit big-endian byte strings, in eight 32-bit limbs held in plain numbers:
// for the RVOLE's per-OT sums (ot/rvole.ts), 1,536 per message, where reading each value into a
// bigint, reducing it with `% q` and writing it back costs about three times as much and leaves
// garbage for the collector. Only additions: products stay bigint.
// Limbs are least significant first; every intermediate stays below 2^36, exact in a double. The
// values are secret: a carry, a fold and a mask select, no `if` depends on them (as far as plain
// JavaScript allows; the bigint arithmetic these sums replace had no such care).
// Folding: 2^256 = c (mod q) with c = 2^256 - q < 2^129, so t = hi * 2^256 + lo = lo + hi * c.
import { Q } from './scalar.ts';

const TWO32 = 2 ** 32;

function limbsOf(x: bigint, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++, x >>= 32n) out[i] = Number(x & 0xffffffffn);
  return out;
}

const Q_LIMBS = limbsOf(Q, 8);
const C_LIMBS = limbsOf((1n << 256n) - Q, 8); // five non-zero limbs

/** Scratch limbs: the value being reduced and t - q (one computation at a time: these functions never yield). */
const t = new Float64Array(8);
const d = new Float64Array(8);

/** The value at v[offset..offset+32] (big-endian), limb i. */
const limb = (v: DataView, offset: number, i: number): number => v.getUint32(offset + 28 - 4 * i);

/** t += k * c, for a carry k in [0, 8); returns the carry out of limb 7. */
function foldInto(k: number): number {
  let carry = 0;
  for (let i = 0; i < 8; i++) {
    const s = t[i] + k * C_LIMBS[i] + carry;
    carry = Math.floor(s / TWO32);
    t[i] = s - carry * TWO32;
  }
  return carry;
}

/** Writes t (below 2^256) reduced once by q, big-endian at out[offset..]. */
function writeReduced(out: DataView, offset: number): void {
  // d = t - q; keep t when that borrows (t < q), else d.
  let borrow = 0;
  for (let i = 0; i < 8; i++) {
    const s = t[i] - Q_LIMBS[i] - borrow;
    borrow = -Math.floor(s / TWO32); // 0 or 1
    d[i] = s + borrow * TWO32;
  }
  for (let i = 0; i < 8; i++) out.setUint32(offset + 28 - 4 * i, d[i] + borrow * (t[i] - d[i]));
}

/** An addend for subAddModQ: a + 2q in nine limbs, for a in [0, q). */
export function addendOf(a: bigint): Float64Array {
  if (a < 0n || a >= Q) throw new RangeError('addendOf: value out of range');
  return limbsOf(a + 2n * Q, 9);
}

/**
 * (x - y + a) mod q, canonical, written big-endian at out[outOffset..+32]; x and y are any 256-bit
 * values (at xOffset / yOffset), `a` comes from addendOf.
 */
export function subAddModQ(out: DataView, outOffset: number, x: DataView, xOffset: number, y: DataView, yOffset: number, a: Float64Array): void {
  // x - y + a + 2q is in (0, 5q): positive because y < 2^256 < 2q.
  let carry = 0;
  for (let i = 0; i < 8; i++) {
    const s = limb(x, xOffset, i) - limb(y, yOffset, i) + a[i] + carry;
    carry = Math.floor(s / TWO32);
    t[i] = s - carry * TWO32;
  }
  // Two folds bring it below 2^256 (the first leaves at most 2^256 + 2^132, the second no carry).
  foldInto(foldInto(a[8] + carry));
  writeReduced(out, outOffset);
}

/**
 * w + bit * a (bit 0 or 1), folded below 2^256 (congruent mod q, not always below q), written
 * big-endian at out[outOffset..+32]. Returns 1 when `a` is not a canonical scalar (a >= q), else 0:
 * the caller refuses the message.
 */
export function addMasked(out: DataView, outOffset: number, w: DataView, wOffset: number, a: DataView, aOffset: number, bit: number): number {
  let borrow = 0; // of a - q: 0 at the end when a >= q
  let carry = 0;
  for (let i = 0; i < 8; i++) {
    const ai = limb(a, aOffset, i);
    borrow = -Math.floor((ai - Q_LIMBS[i] - borrow) / TWO32);
    const s = limb(w, wOffset, i) + bit * ai + carry;
    carry = Math.floor(s / TWO32);
    t[i] = s - carry * TWO32;
  }
  // w + a < 2^256 + q: one fold (hi = 1 leaves lo < q, and lo + c < 2^256).
  foldInto(carry);
  for (let i = 0; i < 8; i++) out.setUint32(outOffset + 28 - 4 * i, t[i]);
  return 1 - borrow;
}
