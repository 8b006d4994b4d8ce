// All-but-one OT from the base OTs: a GGM puncturable PRF with a proof (SoftSpokenOT, ePrint
// 2022/192 Fig. 13/14, as used by DKLs23). The 256 base OTs form 64 blocks of 4; per block the
// builder (base-OT sender) ends with 16 leaves, the evaluator (base-OT receiver) with 15 of them
// and the index Delta_j of the missing one (its bits are the complements of its 4 choice bits).
// The proof (h_y per leaf, their XOR and a hash of all of them) makes the evaluator abort unless
// its 15 leaves agree with the 16 the builder committed to.
// The evaluator handles the secret missing index with masks: it expands every node (the missing
// one as zeros) and writes recovered nodes to every position under a mask.
import { abort } from '../errors.ts';
import { equalBytes, expand, u32 } from '../hash.ts';
import { bit } from './bits.ts';
import { BASE_OT_COUNT } from './endemic.ts';

export const K = 4; // SoftSpoken k: base OTs per block
export const LEAVES = 1 << K; // 16
export const BLOCKS = BASE_OT_COUNT / K; // 64
export const SEED = 32;
export const BLOCK_MESSAGE_BYTES = 2 * (K - 1) * SEED + 64 + 64; // 320
export const PPRF_MESSAGE_BYTES = BLOCKS * BLOCK_MESSAGE_BYTES; // 20480
export const LEAVES_BYTES = BLOCKS * LEAVES * SEED; // 32768

function expandNode(sid: Uint8Array, node: Uint8Array): Uint8Array {
  return expand('abo/node', 2 * SEED, sid, node);
}

function leafHash(sid: Uint8Array, leaf: Uint8Array): Uint8Array {
  return expand('abo/leaf', 64, sid, leaf);
}

function proofDigest(sid: Uint8Array, block: number, hashes: Uint8Array[]): Uint8Array {
  return expand('abo/proof', 64, sid, u32(block), ...hashes);
}

function xorBytes(target: Uint8Array, src: Uint8Array, mask = 0xff): void {
  for (let i = 0; i < target.length; i++) target[i] ^= src[i] & mask;
}

/** Builder (base-OT sender): all 16 leaves per block and the message for the evaluator. */
export function buildPprf(sid: Uint8Array, rho0: Uint8Array[], rho1: Uint8Array[]): { leaves: Uint8Array; message: Uint8Array } {
  const leaves = new Uint8Array(LEAVES_BYTES);
  const message = new Uint8Array(PPRF_MESSAGE_BYTES);
  for (let j = 0; j < BLOCKS; j++) {
    const out = message.subarray(j * BLOCK_MESSAGE_BYTES, (j + 1) * BLOCK_MESSAGE_BYTES);
    let level = [rho0[K * j], rho1[K * j]];
    for (let i = 1; i < K; i++) {
      const next: Uint8Array[] = [];
      for (const node of level) {
        const c = expandNode(sid, node);
        next.push(c.subarray(0, SEED), c.subarray(SEED));
      }
      // Copies (new Uint8Array, not .slice(): a Buffer's slice is a view, and the caller's bytes would change).
      const even = new Uint8Array(rho0[K * j + i]);
      const odd = new Uint8Array(rho1[K * j + i]);
      for (let y = 0; y < next.length; y += 2) {
        xorBytes(even, next[y]);
        xorBytes(odd, next[y + 1]);
      }
      out.set(even, (2 * (i - 1)) * SEED);
      out.set(odd, (2 * (i - 1) + 1) * SEED);
      level = next;
    }
    const hashes = level.map((leaf) => leafHash(sid, leaf));
    const tTilde = new Uint8Array(64);
    for (const h of hashes) xorBytes(tTilde, h);
    out.set(proofDigest(sid, j, hashes), 6 * SEED);
    out.set(tTilde, 6 * SEED + 64);
    level.forEach((leaf, y) => leaves.set(leaf, (j * LEAVES + y) * SEED));
  }
  return { leaves, message };
}

/**
 * Evaluator (base-OT receiver with choice bits and keys rho): Delta per block (one byte each) and
 * the leaves with leaf Delta set to zeros. Aborts naming the builder if the proof fails.
 */
export function evalPprf(
  sid: Uint8Array,
  choices: Uint8Array,
  rho: Uint8Array[],
  message: Uint8Array,
  builder: number,
): { delta: Uint8Array; leaves: Uint8Array } {
  if (message.length !== PPRF_MESSAGE_BYTES) abort('MALFORMED_MESSAGE', 'PPRF message: wrong length', builder);
  const delta = new Uint8Array(BLOCKS);
  const leaves = new Uint8Array(LEAVES_BYTES);
  let ok = true;
  for (let j = 0; j < BLOCKS; j++) {
    const msg = message.subarray(j * BLOCK_MESSAGE_BYTES, (j + 1) * BLOCK_MESSAGE_BYTES);
    const c0 = bit(choices, K * j);
    // Level 1: node c0 known, node 1-c0 missing.
    let level: Uint8Array[] = [new Uint8Array(SEED), new Uint8Array(SEED)];
    xorBytes(level[0], rho[K * j], -(1 - c0) & 0xff);
    xorBytes(level[1], rho[K * j], -c0 & 0xff);
    let missing = 1 - c0;
    for (let i = 1; i < K; i++) {
      const ci = bit(choices, K * j + i);
      const next: Uint8Array[] = [];
      for (let y = 0; y < level.length; y++) {
        const c = expandNode(sid, level[y]);
        const keep = -(y !== missing ? 1 : 0) & 0xff;
        const left = new Uint8Array(SEED);
        const right = new Uint8Array(SEED);
        xorBytes(left, c.subarray(0, SEED), keep);
        xorBytes(right, c.subarray(SEED), keep);
        next.push(left, right);
      }
      // The child of the missing node with parity ci = t[i-1][ci] ^ rho_ci ^ (XOR of known children with parity ci).
      const recovered = new Uint8Array(SEED);
      xorBytes(recovered, msg.subarray((2 * (i - 1)) * SEED, (2 * (i - 1) + 1) * SEED), -(1 - ci) & 0xff);
      xorBytes(recovered, msg.subarray((2 * (i - 1) + 1) * SEED, (2 * i) * SEED), -ci & 0xff);
      xorBytes(recovered, rho[K * j + i]);
      for (let y = 0; y < next.length; y++) xorBytes(recovered, next[y], -((y & 1) === ci ? 1 : 0) & 0xff);
      const target = 2 * missing + ci;
      for (let y = 0; y < next.length; y++) xorBytes(next[y], recovered, -(y === target ? 1 : 0) & 0xff);
      missing = 2 * missing + (1 - ci);
      level = next;
    }
    // Proof: recompute h_y for known leaves, derive the missing one from t~, compare the digest.
    const tTilde = msg.subarray(6 * SEED + 64, 6 * SEED + 128);
    const hashes = level.map((leaf) => leafHash(sid, leaf));
    const hMissing = new Uint8Array(tTilde); // a copy, also when the message is a Buffer
    for (let y = 0; y < LEAVES; y++) xorBytes(hMissing, hashes[y], -(y !== missing ? 1 : 0) & 0xff);
    for (let y = 0; y < LEAVES; y++) {
      const m = -(y === missing ? 1 : 0) & 0xff;
      for (let b = 0; b < 64; b++) hashes[y][b] = (hashes[y][b] & ~m) | (hMissing[b] & m);
    }
    ok = equalBytes(proofDigest(sid, j, hashes), msg.subarray(6 * SEED, 6 * SEED + 64)) && ok;
    delta[j] = missing;
    level.forEach((leaf, y) => leaves.set(leaf, (j * LEAVES + y) * SEED));
  }
  if (!ok) abort('PPRF_CHECK_FAILED', 'all-but-one OT proof failed', builder, true);
  return { delta, leaves };
}
