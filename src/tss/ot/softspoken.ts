// SoftSpokenOT extension (Roy, ePrint 2022/192) with k = 4 and a Fiat-Shamir consistency check in
// GF(2^128), as used by DKLs23 (Doerner-Kondi-Lee-shelat 2023). Turns the all-but-one OT seeds of an ordered pair into
// 512 fresh random OTs per session, each carrying 3 x 32 bytes.
// Roles: the OTE receiver holds all 16 leaves per block and chooses the bits beta; the OTE sender
// holds Delta (64 nibbles = 256 bits nabla) and 15 leaves per block.
// Parameters: 512 = kappa + 2*lambda_s extended OTs, 128 extra random columns that mask the check
// value, 256 correlation bits (lambda_c), check in GF(2^128) with 4 challenges.
// Every PRG/hash is keyed by the session id, which must be fresh per session and ordered pair. The
// PRG of the leaves and the output hash are fixed-key AES constructions (fixed-key-aes.ts).
import { abort } from '../errors.ts';
import { expand, hash } from '../hash.ts';
import { SessionPermutation, seedPrg, tccrHash } from './fixed-key-aes.ts';
import { GfMultiplier } from './gf128.ts';
import { transpose } from './bits.ts';
import { BLOCKS, LEAVES } from './pprf.ts';
import { randomBytes } from '../math/scalar.ts';

export const OT_COUNT = 512; // L = kappa + 2 * lambda_s
export const CHECK_BITS = 128; // S
export const ROW_BYTES = (OT_COUNT + CHECK_BITS) / 8; // 80: one row of the extended matrix
export const ROWS = BLOCKS * 4; // 256 = lambda_c
export const OT_PAYLOAD = 3 * 32; // each OT carries three 32-byte values
export const OTE_MESSAGE_BYTES = BLOCKS * ROW_BYTES + 16 + ROWS * 16; // 9232
const CHALLENGES = OT_COUNT / CHECK_BITS; // 4


function challenges(sid: Uint8Array, u: Uint8Array): GfMultiplier[] {
  const digest = hash('ss/matrix', sid, u);
  const e = expand('ss/challenge', 16 * CHALLENGES, sid, digest);
  return Array.from({ length: CHALLENGES }, (_, j) => new GfMultiplier(e.subarray(16 * j, 16 * j + 16)));
}

/** The check value of one 80-byte row: XOR_j row_j * e_j XOR row[64..80] (the definition; checkValues does a whole matrix). */
export function checkValue(row: Uint8Array, offset: number, e: GfMultiplier[]): Uint32Array {
  const acc = new Uint32Array(4);
  for (let j = 0; j < CHALLENGES; j++) e[j].mulAdd(acc, row, offset + 16 * j);
  const dv = new DataView(row.buffer, row.byteOffset + offset + 64, 16);
  for (let w = 0; w < 4; w++) acc[w] ^= dv.getUint32(4 * w, true);
  return acc;
}

const ROW_WORDS = ROW_BYTES / 4; // 20
const COLUMN_WORDS = ROWS / 32; // 8: one column of the matrix, one bit per row
const GROUPS = OT_COUNT / 4; // 128 groups of four columns in checkValues

/**
 * The check values of all 256 rows at once (16 bytes each, row after row), from the transposed
 * matrix (640 columns of 256 bits): bit i of every row's value is the XOR, at that row's bit, of
 * column 512 + i (the row's last 16 bytes) and of every column c < 512 whose term
 * X^(c mod 128) * e_(c / 128) has bit i set. The terms are public, so they may choose which
 * (secret) columns to XOR: the columns go in groups of four, each group's 16 XOR combinations
 * precomputed, and output bit i takes from each group the combination its four terms' bits select.
 */
export function checkValues(transposed: Uint8Array, e: GfMultiplier[]): Uint8Array {
  const columns = new Int32Array(transposed.buffer, transposed.byteOffset, transposed.length >> 2);
  const combos = new Int32Array(GROUPS * 16 * COLUMN_WORDS);
  for (let g = 0; g < GROUPS; g++) {
    const base = g * 16 * COLUMN_WORDS;
    for (let s = 1; s < 16; s++) {
      const low = s & -s;
      const from = (4 * g + 31 - Math.clz32(low)) * COLUMN_WORDS;
      for (let x = 0; x < COLUMN_WORDS; x++) combos[base + s * COLUMN_WORDS + x] = combos[base + (s ^ low) * COLUMN_WORDS + x] ^ columns[from + x];
    }
  }
  // Row i of challenge j's turned table: bit p = bit i of X^p * e_j; its nibble p / 4 selects group 32j + p / 4.
  const turned = e.map((m) => m.transposedTable());
  const sums = new Int32Array(CHECK_BITS * COLUMN_WORDS); // output bit i: one bit per row
  for (let i = 0; i < CHECK_BITS; i++) {
    const last = (OT_COUNT + i) * COLUMN_WORDS;
    let s0 = columns[last], s1 = columns[last + 1], s2 = columns[last + 2], s3 = columns[last + 3];
    let s4 = columns[last + 4], s5 = columns[last + 5], s6 = columns[last + 6], s7 = columns[last + 7];
    for (let j = 0; j < CHALLENGES; j++) {
      const row = turned[j];
      for (let b = 0; b < 16; b++) {
        const nibbles = row[16 * i + b]; // group g: the low nibble, group g + 1: the high one
        const g = 32 * j + 2 * b;
        let o = (g * 16 + (nibbles & 15)) * COLUMN_WORDS;
        s0 ^= combos[o]; s1 ^= combos[o + 1]; s2 ^= combos[o + 2]; s3 ^= combos[o + 3];
        s4 ^= combos[o + 4]; s5 ^= combos[o + 5]; s6 ^= combos[o + 6]; s7 ^= combos[o + 7];
        o = ((g + 1) * 16 + (nibbles >>> 4)) * COLUMN_WORDS;
        s0 ^= combos[o]; s1 ^= combos[o + 1]; s2 ^= combos[o + 2]; s3 ^= combos[o + 3];
        s4 ^= combos[o + 4]; s5 ^= combos[o + 5]; s6 ^= combos[o + 6]; s7 ^= combos[o + 7];
      }
    }
    const o = i * COLUMN_WORDS;
    sums[o] = s0; sums[o + 1] = s1; sums[o + 2] = s2; sums[o + 3] = s3;
    sums[o + 4] = s4; sums[o + 5] = s5; sums[o + 6] = s6; sums[o + 7] = s7;
  }
  const values = transpose(new Uint8Array(sums.buffer), CHECK_BITS, ROWS);
  combos.fill(0);
  sums.fill(0);
  return values;
}

/** The permutation of the output randomisation: H(j, column) = tccrHash(...), 96 bytes per OT j. */
function outputPermutation(sid: Uint8Array): SessionPermutation {
  return new SessionPermutation('ss/rand-key', sid);
}

/** The PRG rows of all leaves, ROW_BYTES each, as 32-bit words. */
function prgRows(sid: Uint8Array, leaves: Uint8Array): Int32Array {
  return seedPrg(new SessionPermutation('ss/prg-key', sid), leaves, ROW_BYTES);
}

/** target[tOff..tOff+20] ^= src[sOff..] & mask, on 32-bit words (one 80-byte row). */
function xorRow(target: Int32Array, tOff: number, src: Int32Array, sOff: number, mask: number): void {
  for (let i = 0; i < ROW_WORDS; i++) target[tOff + i] ^= src[sOff + i] & mask;
}

/** A copy of `bytes` (length a multiple of 4) as 32-bit words in platform order. */
function words(bytes: Uint8Array): Int32Array {
  const w = new Int32Array(bytes.length / 4);
  new Uint8Array(w.buffer).set(bytes);
  return w;
}

// The PRG rows below are handled as 32-bit words: XOR is bytewise, so the word order does not
// matter as long as every view of a row uses the same one; the byte views are what gets hashed.

/**
 * OTE receiver: choice bits beta (64 bytes) -> its message (9232 bytes) and the 512 chosen
 * outputs w_j = (beta_j ? v1_j : v0_j), 96 bytes each.
 */
export function oteReceive(sid: Uint8Array, leaves: Uint8Array, beta: Uint8Array): { message: Uint8Array; outputs: Uint8Array } {
  const ext = new Uint8Array(ROW_BYTES);
  ext.set(beta, 0);
  ext.set(randomBytes(ROW_BYTES - beta.length), beta.length);
  const extWords = words(ext);
  const message = new Uint8Array(OTE_MESSAGE_BYTES);
  const u = message.subarray(0, BLOCKS * ROW_BYTES);
  const uWords = new Int32Array(BLOCKS * ROW_WORDS);
  const vWords = new Int32Array(ROWS * ROW_WORDS);
  const v = new Uint8Array(vWords.buffer);
  const rows = prgRows(sid, leaves);
  for (let i = 0; i < BLOCKS; i++) {
    xorRow(uWords, i * ROW_WORDS, extWords, 0, -1);
    for (let x = 0; x < LEAVES; x++) {
      const r = (i * LEAVES + x) * ROW_WORDS;
      xorRow(uWords, i * ROW_WORDS, rows, r, -1);
      // The receiver knows every leaf, so x (a public index) may steer this loop.
      for (let b = 0; b < 4; b++) if ((x >> b) & 1) xorRow(vWords, (4 * i + b) * ROW_WORDS, rows, r, -1);
    }
  }
  u.set(new Uint8Array(uWords.buffer));
  const e = challenges(sid, u);
  const xOff = BLOCKS * ROW_BYTES;
  new Uint8Array(message.buffer, message.byteOffset + xOff, 16).set(new Uint8Array(checkValue(ext, 0, e).buffer));
  const transposed = transpose(v, ROWS, ROW_BYTES * 8); // 640 columns: 512 OTs, then the check's
  const checks = checkValues(transposed, e);
  message.set(checks, xOff + 16);
  checks.fill(0);
  const columns = transposed.subarray(0, OT_COUNT * 32);
  const outputs = tccrHash(outputPermutation(sid), columns, OT_PAYLOAD);
  ext.fill(0);
  extWords.fill(0);
  rows.fill(0);
  v.fill(0);
  transposed.fill(0);
  return { message, outputs };
}

/**
 * OTE sender: checks the receiver's message (aborting with a ban on failure: the check's outcome
 * depends on Delta: see docs/bans.md) and returns both outputs of every OT.
 */
export function oteSend(
  sid: Uint8Array,
  delta: Uint8Array,
  leaves: Uint8Array,
  message: Uint8Array,
  receiver: number,
): { v0: Uint8Array; v1: Uint8Array } {
  if (message.length !== OTE_MESSAGE_BYTES) abort('MALFORMED_MESSAGE', 'OT extension message: wrong length', receiver);
  const u = message.subarray(0, BLOCKS * ROW_BYTES);
  const uWords = words(u);
  const wWords = new Int32Array(ROWS * ROW_WORDS);
  const w = new Uint8Array(wWords.buffer);
  const nabla = new Uint8Array(ROWS / 8);
  // Leaf Delta is unknown (stored as zeros); expanding it anyway keeps the work independent of Delta.
  const rows = prgRows(sid, leaves);
  for (let i = 0; i < BLOCKS; i++) {
    const d = delta[i];
    for (let x = 0; x < LEAVES; x++) {
      const known = ~(((x ^ d) - 1) >> 31); // -1 if x != d, else 0 (x ^ d is in [0, 16))
      for (let b = 0; b < 4; b++) xorRow(wWords, (4 * i + b) * ROW_WORDS, rows, (i * LEAVES + x) * ROW_WORDS, known & -(((d ^ x) >> b) & 1));
    }
    for (let b = 0; b < 4; b++) {
      const db = (d >> b) & 1;
      xorRow(wWords, (4 * i + b) * ROW_WORDS, uWords, i * ROW_WORDS, -db);
      nabla[(4 * i + b) >> 3] |= db << ((4 * i + b) & 7);
    }
  }
  const e = challenges(sid, u);
  const xOff = BLOCKS * ROW_BYTES;
  const dvx = new DataView(message.buffer, message.byteOffset + xOff, 16);
  const dvt = new DataView(message.buffer, message.byteOffset + xOff + 16, ROWS * 16);
  const transposed = transpose(w, ROWS, ROW_BYTES * 8); // 640 columns: 512 OTs, then the check's
  const checks = checkValues(transposed, e);
  const dvq = new DataView(checks.buffer);
  let diff = 0;
  for (let r = 0; r < ROWS; r++) {
    const m = -((nabla[r >> 3] >> (r & 7)) & 1);
    for (let k = 0; k < 4; k++) diff |= dvq.getUint32(16 * r + 4 * k, true) ^ dvt.getUint32(16 * r + 4 * k, true) ^ (dvx.getUint32(4 * k, true) & m);
  }
  checks.fill(0);
  if (diff !== 0) {
    transposed.fill(0);
    abort('OT_CHECK_FAILED', 'SoftSpoken consistency check failed', receiver, true);
  }
  const columns = transposed.subarray(0, OT_COUNT * 32);
  const shifted = new Uint8Array(columns.length);
  for (let k = 0; k < shifted.length; k++) shifted[k] = columns[k] ^ nabla[k & 31];
  const pi = outputPermutation(sid); // one key schedule for both outputs
  const v0 = tccrHash(pi, columns, OT_PAYLOAD);
  const v1 = tccrHash(pi, shifted, OT_PAYLOAD);
  w.fill(0);
  rows.fill(0);
  shifted.fill(0);
  transposed.fill(0);
  nabla.fill(0);
  return { v0, v1 };
}
