// GF(2^128) with modulus X^128 + X^7 + X^2 + X + 1, for the SoftSpokenOT consistency check.
// Element layout (as in the public DKLs23 implementations): 16 bytes, bit k of byte i is the coefficient of
// X^(8i+k). Not GHASH's reflected order. Multiplication by a fixed element e is done bit by bit
// with masks over a table of X^j * e (no branch or table index depends on the other operand).

import { transpose } from './bits.ts';

const WORDS = 4;

/** Multiply the 4-word little-endian value in place by X (shift left one bit, then reduce). */
function timesX(w: Uint32Array): void {
  const carry = w[3] >>> 31;
  w[3] = (w[3] << 1) | (w[2] >>> 31);
  w[2] = (w[2] << 1) | (w[1] >>> 31);
  w[1] = (w[1] << 1) | (w[0] >>> 31);
  w[0] = (w[0] << 1) ^ (-carry & 0x87);
}

/** Precomputed multiplier: table[j] = X^j * e for j < 128. */
export class GfMultiplier {
  private readonly table = new Uint32Array(128 * WORDS);
  constructor(e: Uint8Array) {
    const cur = new Uint32Array(WORDS);
    const dv = new DataView(e.buffer, e.byteOffset, 16);
    for (let i = 0; i < WORDS; i++) cur[i] = dv.getUint32(4 * i, true);
    for (let j = 0; j < 128; j++) {
      this.table.set(cur, j * WORDS);
      timesX(cur);
    }
  }

  /**
   * The table as a bit matrix turned around: 128 rows of 16 bytes, bit j of row i (byte j >> 3,
   * bit j & 7) = the coefficient of X^i in X^j * e.
   */
  transposedTable(): Uint8Array {
    const bytes = new Uint8Array(128 * 16);
    const dv = new DataView(bytes.buffer);
    for (let k = 0; k < 128 * WORDS; k++) dv.setUint32(4 * k, this.table[k], true);
    return transpose(bytes, 128, 128);
  }

  /** acc ^= a * e, where a is 16 bytes at a[offset..]. */
  mulAdd(acc: Uint32Array, a: Uint8Array, offset: number): void {
    const t = this.table;
    let a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    for (let byte = 0; byte < 16; byte++) {
      const v = a[offset + byte];
      for (let bit = 0; bit < 8; bit++) {
        const m = -((v >>> bit) & 1);
        const k = ((byte << 3) | bit) << 2;
        a0 ^= t[k] & m;
        a1 ^= t[k + 1] & m;
        a2 ^= t[k + 2] & m;
        a3 ^= t[k + 3] & m;
      }
    }
    acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
  }
}

/** a * b as 16 bytes (reference form, used by tests and the one-off products). */
export function gfMul(a: Uint8Array, b: Uint8Array): Uint8Array {
  const acc = new Uint32Array(WORDS);
  new GfMultiplier(b).mulAdd(acc, a, 0);
  return wordsToBytes(acc);
}

export function wordsToBytes(w: Uint32Array): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < WORDS; i++) dv.setUint32(4 * i, w[i], true);
  return out;
}
