// FastLZ (level 1) compression as solady's LibZip.flzCompress / flzDecompress, in TypeScript.
// The pre-v1 Smart Sessions build (the one in @rhinestone/modulekit 0.5.9) expects its USE-mode
// signature payload as flzCompress(abi.encode(bytes sig)) and decompresses it on chain with
// LibZip.flzDecompress. Ported from solady's js/solady.js (MIT, Vectorized); the hash uses exact
// 32-bit multiplication (Math.imul) like solady's Solidity flzCompress (output was identical to
// solady's JS on thousands of random inputs). Any output is a valid FastLZ stream for
// LibZip.flzDecompress, which is what the chain checks.
import { bytesToHex, hexToBytes, type Hex } from 'viem';

export function flzCompress(data: Hex | Uint8Array): Hex {
  const ib = typeof data === 'string' ? hexToBytes(data) : data;
  const b = ib.length - 4;
  const ht = new Int32Array(8192); // positions + 1 (0 = empty)
  const ob: number[] = [];
  let a = 0;
  let i = 2;
  const m = 0xffffff;
  const u32 = (k: number) => (ib[k] | (ib[k + 1] << 8) | (ib[k + 2] << 16) | (ib[k + 3] << 24)) >>> 0;
  const hash = (x: number) => ((Math.imul(2654435769, x) >> 19) & 8191) >>> 0;
  const literals = (r: number, s: number) => {
    while (r >= 32) {
      ob.push(31);
      for (let j = 32; j--; r--) ob.push(ib[s++]);
    }
    if (r) {
      ob.push(r - 1);
      for (; r--; ) ob.push(ib[s++]);
    }
  };
  while (i < b - 9) {
    let s: number;
    let c: number;
    let r: number;
    let d: number;
    let h: number;
    do {
      s = u32(i) & m;
      h = hash(s);
      r = ht[h] - 1;
      ht[h] = i + 1;
      d = i - r;
      c = r >= 0 && d < 8192 ? u32(r) & m : m + 1;
    } while (i < b - 9 && i++ && s !== c);
    if (i >= b - 9) break;
    if (--i > a) literals(i - a, a);
    let l = 0;
    const p = r + 3;
    const q = i + 3;
    // Like FastLZ's flz_cmp: on a mismatch the count includes the mismatching byte (the
    // encoded length is then length - 2, the decoder copies length + 2 with the 3 hashed bytes).
    for (let e = b - q; l < e; l++) {
      if (ib[p + l] !== ib[q + l]) {
        l++;
        break;
      }
    }
    i += l;
    s = u32(i);
    for (--d; l > 262; l -= 262) ob.push(224 + (d >> 8), 253, d & 255);
    if (l < 7) ob.push((l << 5) + (d >> 8), d & 255);
    else ob.push(224 + (d >> 8), l - 7, d & 255);
    ht[hash(s & m)] = i + 1;
    i++;
    ht[hash(s >>> 8)] = i + 1;
    i++;
    a = i;
  }
  literals(b + 4 - a, a);
  return bytesToHex(Uint8Array.from(ob));
}

export function flzDecompress(data: Hex | Uint8Array): Hex {
  const ib = typeof data === 'string' ? hexToBytes(data) : data;
  const ob: number[] = [];
  let i = 0;
  while (i < ib.length) {
    const t = ib[i] >> 5;
    if (t === 0) {
      for (let l = 1 + ib[i++]; l--; ) ob.push(ib[i++]);
    } else {
      const long = t === 7;
      const f = 256 * (ib[i] & 31) + ib[i + (long ? 2 : 1)];
      let l = long ? 9 + ib[i + 1] : 2 + t;
      i += long ? 3 : 2;
      let r = ob.length - f - 1;
      while (l--) ob.push(ob[r++]);
    }
  }
  return bytesToHex(Uint8Array.from(ob));
}
