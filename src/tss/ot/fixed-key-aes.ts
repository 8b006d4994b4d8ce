// The OT extension's PRG and correlation-robust hash, built from AES-128 under a key that is
// public and fixed for one session (a "fixed-key AES" construction, modelled as a random
// permutation pi; Guo, Katz, Wang, Yu, "Efficient and Secure Multiparty Computation from Fixed-Key
// Block Ciphers", ePrint 2019/074). Every call handles all of a session's inputs in one native AES
// call (OpenSSL, through node:crypto) instead of one hash object per seed or per OT. The inputs are
// secret, so AES must be constant time: it is with the AES instructions of x86-64 and ARMv8 and
// with OpenSSL's vector-permute fallback for CPUs without them (SSSE3 / NEON); only OpenSSL's
// plain-C tables, on CPUs with neither, would not be.
//
// - seedPrg: row = G(seed) for each 32-byte seed s = (a, b) (two 128-bit halves), 16-byte block m
//   of the row = MMO(a ^ T(n, m, 0)) ^ MMO(b ^ T(n, m, 1)), MMO(x) = pi(x) ^ x, n the seed's
//   position. For a secret half, MMO of distinct points is indistinguishable from random unless
//   the adversary queries pi (or its inverse) at one of those points: q queries against the ~10^4
//   points of one session succeed with probability about q * 10^4 / 2^128.
// - tccrHash: H(j, x) for each 32-byte column x = (a, b), block m of the output =
//   TCCR(a, T(j, m, 0)) ^ TCCR(b, T(j, m, 1)), TCCR(x, i) = pi(pi(x) ^ i) ^ pi(x), the tweakable
//   correlation-robust hash of Guo et al. (Section 7): knowing x, H(j, x ^ Delta) is
//   indistinguishable from random while Delta is unknown. One half suffices for the bound, so
//   the leakage of a few bits of Delta that the consistency check allows (with the matching chance
//   of being caught) keeps ~128 bits of security.
// Tweaks T(n, m, h) are 16-byte blocks of little-endian u32 words (n, m, h, 0), distinct for every
// (position, output block, half) of a call. The permutation is AES-128 under a key hashed from
// the session id and the use (PRG or hash), so no two sessions or uses share a permutation.
// Security is 128 bits (the level of secp256k1), not the 256 bits of the seeds.
import { createCipheriv } from 'node:crypto';
import { hash } from '../hash.ts';

type Ecb = ReturnType<typeof createCipheriv>;

/** AES-128-ECB under the key hash(domain, sid)[0..16]; encrypt() maps 16-byte blocks independently. */
export class SessionPermutation {
  private readonly ecb: Ecb;
  constructor(domain: string, sid: Uint8Array) {
    const key = hash(domain, sid).subarray(0, 16);
    this.ecb = createCipheriv('aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
    key.fill(0);
  }
  /** pi applied to each 16-byte block of `blocks` (its length a multiple of 16). */
  encrypt(blocks: Uint8Array): Int32Array {
    return asWords(this.ecb.update(blocks));
  }
}

// Tweaks for `count` positions of `blocks` output blocks: (n, m, h, 0) at block ((n * blocks + m)
// * 2 + h). The bytes are fixed (little-endian); the code views them as 32-bit words only to XOR.
const tweakCache = new Map<string, Int32Array>();
function tweaks(count: number, blocks: number): Int32Array {
  const id = `${count}/${blocks}`;
  let t = tweakCache.get(id);
  if (!t) {
    const bytes = new Uint8Array(count * blocks * 2 * 16);
    const view = new DataView(bytes.buffer);
    for (let n = 0; n < count; n++)
      for (let m = 0; m < blocks; m++)
        for (let h = 0; h < 2; h++) {
          const o = ((n * blocks + m) * 2 + h) * 16;
          view.setUint32(o, n, true);
          view.setUint32(o + 4, m, true);
          view.setUint32(o + 8, h, true);
        }
    tweakCache.set(id, (t = new Int32Array(bytes.buffer)));
  }
  return t;
}

/** `bytes` (length a multiple of 4) as 32-bit words: a view when aligned, else a copy. */
function asWords(bytes: Uint8Array): Int32Array {
  if (bytes.byteOffset % 4 !== 0) return new Int32Array(new Uint8Array(bytes).buffer);
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
}

/** G(seed) for each 32-byte seed in `seeds`: rowBytes (a multiple of 16) per seed, rows back to back, as 32-bit words. */
export function seedPrg(pi: SessionPermutation, seeds: Uint8Array, rowBytes: number): Int32Array {
  const count = seeds.length >> 5;
  const blocks = rowBytes >> 4;
  const s = asWords(seeds);
  const t = tweaks(count, blocks);
  const input = new Int32Array(t.length);
  for (let n = 0; n < count; n++)
    for (let m = 0; m < blocks; m++)
      for (let w = 0; w < 8; w++) {
        const i = (n * blocks + m) * 8 + w; // half h = w >> 2: word w of the pair of blocks
        input[i] = s[n * 8 + w] ^ t[i];
      }
  const enc = pi.encrypt(new Uint8Array(input.buffer));
  const rows = new Int32Array(count * blocks * 4);
  for (let b = 0; b < count * blocks; b++)
    for (let w = 0; w < 4; w++) rows[b * 4 + w] = enc[b * 8 + w] ^ input[b * 8 + w] ^ enc[b * 8 + 4 + w] ^ input[b * 8 + 4 + w];
  input.fill(0);
  enc.fill(0);
  if (s.buffer !== seeds.buffer) s.fill(0); // an unaligned input's copy
  return rows;
}

/** H(j, x_j) for each 32-byte column x_j of `columns`, outBytes (a multiple of 16) per column. */
export function tccrHash(pi: SessionPermutation, columns: Uint8Array, outBytes: number): Uint8Array {
  const count = columns.length >> 5;
  const blocks = outBytes >> 4;
  const y = pi.encrypt(columns); // pi(a_j), pi(b_j): 8 words per column
  const t = tweaks(count, blocks);
  const input = new Int32Array(t.length);
  for (let n = 0; n < count; n++)
    for (let m = 0; m < blocks; m++)
      for (let w = 0; w < 8; w++) {
        const i = (n * blocks + m) * 8 + w;
        input[i] = y[n * 8 + w] ^ t[i];
      }
  const enc = pi.encrypt(new Uint8Array(input.buffer));
  const out = new Int32Array(count * blocks * 4);
  for (let n = 0; n < count; n++)
    for (let m = 0; m < blocks; m++) {
      const b = n * blocks + m;
      for (let w = 0; w < 4; w++) out[b * 4 + w] = enc[b * 8 + w] ^ y[n * 8 + w] ^ enc[b * 8 + 4 + w] ^ y[n * 8 + 4 + w];
    }
  y.fill(0);
  input.fill(0);
  enc.fill(0);
  return new Uint8Array(out.buffer);
}
