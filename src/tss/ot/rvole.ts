// Random vector OLE: DKLs23 "Protocol 5.2" (two-party multiplication with forced reuse, batch 2),
// over the SoftSpoken OT extension (DKLs23 Protocol 5.2). The receiver picks a random chi = <g, beta>; the
// sender inputs (a0, a1); afterwards c_m + d_m = a_m * chi (mod q), with c held by the sender and
// d by the receiver. The extra eta column, theta and mu let the receiver detect a sender that used
// different inputs in different OT rows (abort + ban, docs/bans.md).
// Parameters: 512 OTs = kappa + 2*lambda_s (keeps chi close to uniform under selective failure).
import { abort } from '../errors.ts';
import { Hasher, equalBytes, expand, hash } from '../hash.ts';
import { addMasked, addendOf, subAddModQ } from '../math/fixed256.ts';
import { Q, decodeScalar, mod, randomBytes, randomScalar, read256, reduce, reduce256, viewOf, write256 } from '../math/scalar.ts';
import { bit } from './bits.ts';
import { OT_COUNT, OT_PAYLOAD, OTE_MESSAGE_BYTES, oteReceive, oteSend } from './softspoken.ts';

export const RVOLE_MESSAGE1_BYTES = OTE_MESSAGE_BYTES; // 9232
export const RVOLE_MESSAGE2_BYTES = OT_COUNT * 3 * 32 + 32 + 64; // 49248

/** Gadget vector g_0..g_511, public, derived from the session id. */
function gadget(sid: Uint8Array): bigint[] {
  const bytes = viewOf(expand('rvole/gadget', OT_COUNT * 32, sid));
  const g: bigint[] = new Array(OT_COUNT);
  for (let k = 0; k < OT_COUNT; k++) g[k] = reduce256(read256(bytes, 32 * k));
  return g;
}

function thetas(sid: Uint8Array, aTilde: Uint8Array): [bigint, bigint] {
  const d = hash('rvole/theta', sid, aTilde);
  const t = expand('rvole/theta-expand', 64, sid, d);
  return [reduce(t, 0), reduce(t, 32)];
}

function muHasher(sid: Uint8Array): Hasher {
  return new Hasher('rvole/mu', 64).update(sid);
}

export interface RvoleReceiverState {
  sid: Uint8Array;
  beta: Uint8Array;
  outputs: Uint8Array;
  gadget: bigint[];
  chi: bigint;
}

/** Receiver, message 1: its random input chi and the OT-extension message. */
export function rvoleReceiverStart(sid: Uint8Array, leaves: Uint8Array): { state: RvoleReceiverState; message: Uint8Array } {
  const beta = randomBytes(OT_COUNT / 8);
  const g = gadget(sid);
  let chi = 0n;
  for (let k = 0; k < OT_COUNT; k++) chi += g[k] * BigInt(bit(beta, k));
  const { message, outputs } = oteReceive(sid, leaves, beta);
  return { state: { sid, beta, outputs, gadget: g, chi: mod(chi) }, message };
}

// Arithmetic in rvoleSend / rvoleReceiverFinish: the 32-byte OT outputs are used as integers below
// 2^256 without first reducing them mod q (reduce() would subtract q at most once). Everything
// derived from them is reduced mod q before it is encoded or returned, so the bytes and shares are
// the same; sums of products are accumulated unreduced and reduced once. The per-OT sums (a~, and
// the receiver's w + b * a~) are computed on the bytes in fixed-width limbs (math/fixed256.ts);
// only values that enter products are read into bigints (read256).

/** Sender, message 2, with inputs (a0, a1); returns its shares c0, c1. */
export function rvoleSend(
  sid: Uint8Array,
  delta: Uint8Array,
  leaves: Uint8Array,
  message: Uint8Array,
  a: readonly [bigint, bigint],
  receiver: number,
): { c: [bigint, bigint]; message: Uint8Array } {
  const { v0, v1 } = oteSend(sid, delta, leaves, message, receiver);
  const g = gadget(sid);
  const eta = randomScalar();
  const out = new Uint8Array(RVOLE_MESSAGE2_BYTES);
  const aTilde = out.subarray(0, OT_COUNT * 96);
  const outView = viewOf(out);
  const w0 = viewOf(v0);
  const w1 = viewOf(v1);
  const alpha0: bigint[] = new Array(OT_COUNT * 3);
  let c0 = 0n;
  let c1 = 0n;
  const inputs = [addendOf(a[0]), addendOf(a[1]), addendOf(eta)];
  for (let k = 0; k < OT_COUNT; k++) {
    for (let m = 0; m < 3; m++) {
      const off = k * OT_PAYLOAD + 32 * m;
      alpha0[3 * k + m] = read256(w0, off);
      subAddModQ(outView, k * 96 + 32 * m, w0, off, w1, off, inputs[m]); // a~ = x0 - x1 + input
    }
    c0 += g[k] * alpha0[3 * k];
    c1 += g[k] * alpha0[3 * k + 1];
  }
  const [th0, th1] = thetas(sid, aTilde);
  write256(outView, OT_COUNT * 96, mod(eta + th0 * a[0] + th1 * a[1]));
  const mu = muHasher(sid);
  const chunk = new Uint8Array(32 * OT_COUNT);
  const chunkView = viewOf(chunk);
  for (let k = 0; k < OT_COUNT; k++) {
    write256(chunkView, 32 * k, (alpha0[3 * k + 2] + th0 * alpha0[3 * k] + th1 * alpha0[3 * k + 1]) % Q);
  }
  out.set(mu.update(chunk).digest(), OT_COUNT * 96 + 32);
  v0.fill(0);
  v1.fill(0);
  return { c: [mod(-c0), mod(-c1)], message: out };
}

/** Receiver, finish: checks the sender's consistency (abort + ban) and returns d0, d1. */
export function rvoleReceiverFinish(state: RvoleReceiverState, message: Uint8Array, sender: number): [bigint, bigint] {
  if (message.length !== RVOLE_MESSAGE2_BYTES) abort('MALFORMED_MESSAGE', 'RVOLE message: wrong length', sender);
  const { sid, beta, outputs, gadget: g } = state;
  const aTilde = message.subarray(0, OT_COUNT * 96);
  const etaPrime = decodeScalar(message.subarray(OT_COUNT * 96, OT_COUNT * 96 + 32), 'RVOLE eta', sender);
  const [th0, th1] = thetas(sid, aTilde);
  const msgView = viewOf(message);
  const w = viewOf(outputs);
  let d0 = 0n;
  let d1 = 0n;
  const chunk = new Uint8Array(32 * OT_COUNT);
  const chunkView = viewOf(chunk);
  const dm = viewOf(new Uint8Array(96)); // w + b * a~ of one OT, below 2^256 (congruent mod q)
  let noncanonical = 0;
  for (let k = 0; k < OT_COUNT; k++) {
    const bk = bit(beta, k);
    const off = k * OT_PAYLOAD;
    for (let m = 0; m < 3; m++) noncanonical |= addMasked(dm, 32 * m, w, off + 32 * m, msgView, k * 96 + 32 * m, bk);
    const dm0 = read256(dm, 0);
    const dm1 = read256(dm, 32);
    // + q keeps the value positive (b * eta' < q), so `% Q` gives the canonical residue.
    write256(chunkView, 32 * k, (read256(dm, 64) + th0 * dm0 + th1 * dm1 - BigInt(bk) * etaPrime + Q) % Q);
    d0 += g[k] * dm0;
    d1 += g[k] * dm1;
  }
  new Uint8Array(dm.buffer).fill(0);
  if (noncanonical) abort('INVALID_SCALAR', 'RVOLE a~: not below the group order', sender);
  const mu = muHasher(sid).update(chunk).digest();
  if (!equalBytes(mu, message.subarray(OT_COUNT * 96 + 32))) abort('RVOLE_CHECK_FAILED', 'RVOLE consistency check failed', sender, true);
  outputs.fill(0);
  beta.fill(0);
  return [mod(d0), mod(d1)];
}
