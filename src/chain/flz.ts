// FastLZ (level 1) compression as in solady's LibZip: flzCompress / flzDecompress.
//
// Used by the pre-v1 Smart Sessions USE signature (payload = flzCompress(abi.encode(bytes sig))).
// Written from the algorithm as read in solady's sources (Vectorized/solady, js/solady.js at commit
// c9e7f53b76fde50ae0f4f9d4b858c1f189aecbd8, and src/utils/LibZip.sol), which implement FastLZ level 1
// (https://github.com/ariya/FastLZ, commit 344eb4025f9ae866ebf7a2ec48850f7113a97a42).
//
// Stream format (what the on-chain LibZip.flzDecompress reads):
//   token c, t = c >> 5
//   t == 0      : literal run, copy the next c + 1 bytes (1..32).
//   1 <= t <= 6 : match [c, o]      length t + 2,          distance ((c & 31) << 8 | o) + 1.
//   t == 7      : match [c, n, o]   length n + 9 (9..264), distance ((c & 31) << 8 | o) + 1.
//   Matches may overlap the bytes they produce (distance < length): copy byte by byte.
//
// Compression follows solady.js exactly, so the output is byte-identical to what module-sdk (which calls
// solady.js) produces: hash = ((2654435769 * v) >> 19) & 8191 evaluated in IEEE doubles and int32 as JS
// does, an empty hash slot never matches, and the second hash insertion after a match uses the
// sign-extended int32 `u32 >> 8` as solady.js does. Solady's Solidity compressor differs in those
// details (exact 256-bit multiply, empty slot = position 0), so it may find other back-references: both
// outputs are valid streams and decompress to the same bytes. Only decompression matters on chain.
//
// Decompression here is strict (LibZip's Solidity version is not): a truncated token, a back-reference
// before the start of the output, or an output above `maxLength` throws ChainError
// 'INVALID_COMPRESSED_DATA'. Assumes inputs fit in memory; compression is O(n).

import { bytesToHex, hexToBytes, isHex, type Hex } from 'viem';
import { fail } from './errors.ts';

const HASH_MASK = 8191; // 13-bit hash table
const MAX_DISTANCE = 8192; // a reference must be strictly closer than this
const MAX_LITERAL_RUN = 32;
const LONG_MATCH_CHUNK = 262; // length encoded by one [0xe0 | d >> 8, 253, d & 255] chunk

/** solady.js's hash, including its double-precision multiply and int32 shift. */
function hash(v: number): number {
  return ((2654435769 * v) >> 19) & HASH_MASK;
}

function toBytes(data: Hex | Uint8Array, what: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data !== 'string' || !isHex(data, { strict: true }) || data.length % 2 !== 0) {
    fail('INVALID_ARGUMENT', `${what} must be 0x-prefixed hex of whole bytes or a Uint8Array`);
  }
  return hexToBytes(data);
}

/** Growable byte buffer. */
class Out {
  buf: Uint8Array;
  len = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }
  reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  push(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** FastLZ-compress `data` (solady LibZip.flzCompress). Returns hex for hex input, bytes for bytes. */
export function flzCompress(data: Hex): Hex;
export function flzCompress(data: Uint8Array): Uint8Array;
export function flzCompress(data: Hex | Uint8Array): Hex | Uint8Array {
  const out = compressBytes(toBytes(data, 'data'));
  return typeof data === 'string' ? bytesToHex(out) : out;
}

function compressBytes(input: Uint8Array): Uint8Array {
  const n = input.length;
  const out = new Out(n + Math.ceil(n / 32) + 8);
  // Little-endian 32-bit read as a JS int32; bytes past the end read as 0.
  const u32 = (p: number): number => (input[p] ?? 0) | ((input[p + 1] ?? 0) << 8) | ((input[p + 2] ?? 0) << 16) | ((input[p + 3] ?? 0) << 24);
  const literals = (count: number, from: number): void => {
    out.reserve(count + Math.ceil(count / MAX_LITERAL_RUN));
    while (count > 0) {
      const run = Math.min(count, MAX_LITERAL_RUN);
      out.buf[out.len++] = run - 1;
      out.buf.set(input.subarray(from, from + run), out.len);
      out.len += run;
      from += run;
      count -= run;
    }
  };

  const table = new Int32Array(HASH_MASK + 1).fill(-1); // position of the last 3-byte sequence per hash
  const limit = n - 13; // no match starts at or after this position (its end check needs room)
  const matchEnd = n - 4; // matches never extend into the last 4 bytes
  let anchor = 0; // first byte not yet emitted
  let ip = 2;

  while (ip < limit) {
    // Scan for a 3-byte sequence seen before within MAX_DISTANCE.
    let ref = -1;
    let found = false;
    for (;;) {
      const seq = u32(ip) & 0xffffff;
      const h = hash(seq);
      ref = table[h];
      table[h] = ip;
      const hit = ref >= 0 && ip - ref < MAX_DISTANCE && (u32(ref) & 0xffffff) === seq;
      if (ip >= limit) break;
      ip++;
      if (hit) {
        found = true;
        break;
      }
    }
    // A hit found at limit - 1 is dropped, as in solady.js (ip has been advanced to limit).
    if (!found || ip >= limit) break;
    ip--; // ip = start of the match

    if (ip > anchor) literals(ip - anchor, anchor);

    // l = extra length beyond the 3 known bytes, counted as solady.js does: the index of the first
    // mismatch plus one, capped at the room left. The match copies l + 2 bytes.
    const room = matchEnd - (ip + 3);
    let l = 0;
    while (l < room) {
      const same = input[ref + 3 + l] === input[ip + 3 + l];
      l++;
      if (!same) break;
    }
    const d = ip - ref - 1; // encoded distance
    ip += l;
    out.reserve(3 * (Math.floor(l / LONG_MATCH_CHUNK) + 1));
    for (; l > LONG_MATCH_CHUNK; l -= LONG_MATCH_CHUNK) {
      out.buf[out.len++] = 0xe0 + (d >> 8);
      out.buf[out.len++] = LONG_MATCH_CHUNK - 9;
      out.buf[out.len++] = d & 0xff;
    }
    if (l < 7) {
      out.buf[out.len++] = (l << 5) + (d >> 8);
      out.buf[out.len++] = d & 0xff;
    } else {
      out.buf[out.len++] = 0xe0 + (d >> 8);
      out.buf[out.len++] = l - 7;
      out.buf[out.len++] = d & 0xff;
    }

    const next = u32(ip);
    table[hash(next & 0xffffff)] = ip++;
    table[hash(next >> 8)] = ip++; // sign-extended shift, as in solady.js
    anchor = ip;
  }
  literals(n - anchor, anchor);
  return out.result();
}

export interface FlzDecompressOptions {
  /** Largest output accepted, in bytes (default 16 MiB). */
  maxLength?: number;
}

/** Decompress a FastLZ stream (solady LibZip.flzDecompress), strictly. Hex in, hex out; bytes in, bytes out. */
export function flzDecompress(data: Hex, options?: FlzDecompressOptions): Hex;
export function flzDecompress(data: Uint8Array, options?: FlzDecompressOptions): Uint8Array;
export function flzDecompress(data: Hex | Uint8Array, options: FlzDecompressOptions = {}): Hex | Uint8Array {
  const out = decompressBytes(toBytes(data, 'data'), options.maxLength ?? 16 * 1024 * 1024);
  return typeof data === 'string' ? bytesToHex(out) : out;
}

function decompressBytes(input: Uint8Array, maxLength: number): Uint8Array {
  const n = input.length;
  const out = new Out(n * 2);
  let i = 0;
  while (i < n) {
    const c = input[i];
    const t = c >> 5;
    if (t === 0) {
      const run = c + 1;
      if (i + 1 + run > n) fail('INVALID_COMPRESSED_DATA', `literal run of ${run} bytes at offset ${i} is truncated`);
      if (out.len + run > maxLength) fail('INVALID_COMPRESSED_DATA', `decompressed data exceeds ${maxLength} bytes`);
      out.reserve(run);
      out.buf.set(input.subarray(i + 1, i + 1 + run), out.len);
      out.len += run;
      i += 1 + run;
      continue;
    }
    let length: number;
    let low: number;
    if (t === 7) {
      if (i + 2 >= n) fail('INVALID_COMPRESSED_DATA', `long match token at offset ${i} is truncated`);
      length = input[i + 1] + 9;
      low = input[i + 2];
      i += 3;
    } else {
      if (i + 1 >= n) fail('INVALID_COMPRESSED_DATA', `match token at offset ${i} is truncated`);
      length = t + 2;
      low = input[i + 1];
      i += 2;
    }
    const distance = ((c & 31) << 8) + low + 1;
    let ref = out.len - distance;
    if (ref < 0) fail('INVALID_COMPRESSED_DATA', `back-reference at offset ${i} points ${distance} bytes back with only ${out.len} bytes output`);
    if (out.len + length > maxLength) fail('INVALID_COMPRESSED_DATA', `decompressed data exceeds ${maxLength} bytes`);
    out.reserve(length);
    for (let k = 0; k < length; k++) out.buf[out.len++] = out.buf[ref++];
  }
  return out.result();
}
