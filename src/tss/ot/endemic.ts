// Base OT: 256 random 1-of-2 OTs per ordered pair ("endemic OT", Masny & Rindal, ePrint 2019/706
// Fig. 8, as instantiated by the public DKLs23 implementations), over secp256k1.
// Receiver: for each k, a random choice bit c, secret t_a; the slot 1-c holds a uniformly random
// point R', the slot c holds t_a*G - H(c, k, R'). Sender: A_b = R_b + H(b, k, R_{1-b}), sends
// t_b*G for b = 0, 1 and outputs rho_b = H2(t_b*A_b). Receiver outputs rho_c = H2(t_a*T_c).
// Both slots are uniform points with the same encoding (otherwise the sender could tell the real slot from the decoy); slot selection uses byte
// masks, and the decoy hash is always computed so both slots cost the same.
import { abort } from '../errors.ts';
import { expand, hash, u32 } from '../hash.ts';
import { encodeScalar, randomBytes, randomScalarsEncoded } from '../math/scalar.ts';
import { Point } from '../math/point.ts';
import { curve } from '../math/secp256k1.ts';
import { bit } from './bits.ts';

export const BASE_OT_COUNT = 256;
export const ENDEMIC_MESSAGE_BYTES = BASE_OT_COUNT * 66;
const P_FIELD = Point.Fp.ORDER;

/** 65-byte uncompressed -> 33-byte compressed (pure byte work). */
function compress(unc: Uint8Array): Uint8Array {
  const out = new Uint8Array(33);
  out[0] = 2 | (unc[64] & 1);
  out.set(unc.subarray(1, 33), 1);
  return out;
}

/** A 33-byte point as 65 bytes, or null when it is not on the curve (checked first: a throw costs more). */
function tryDecompress(p33: Uint8Array): Uint8Array | null {
  return (p33[0] === 2 || p33[0] === 3) && curve.isPoint(p33) ? curve.convert(p33, false) : null;
}

function decompress(p33: Uint8Array, what: string, party: number): Uint8Array {
  return tryDecompress(p33) ?? abort('INVALID_POINT', `${what}: not a point on the curve`, party);
}

function negate(unc: Uint8Array): Uint8Array {
  const out = new Uint8Array(unc); // a copy, also of a Buffer
  const y = BigInt('0x' + Buffer.from(unc.subarray(33, 65)).toString('hex'));
  out.set(encodeScalar((P_FIELD - y) % P_FIELD), 33);
  return out;
}

/** Random oracle onto the curve: try-and-increment on public data (variable time is fine). */
function hashToPoint(sid: Uint8Array, ro: number, k: number, p33: Uint8Array): Uint8Array {
  for (let ctr = 0; ; ctr++) {
    const h = expand('eot/hash-to-point', 33, sid, u32(ro), u32(k), p33, u32(ctr));
    h[0] = 2 | (h[0] & 1);
    const point = tryDecompress(h);
    if (point) return point;
  }
}

function keyFromPoint(sid: Uint8Array, k: number, unc: Uint8Array): Uint8Array {
  return hash('eot/key', sid, u32(k), compress(unc));
}

/** Byte-mask select: out = mask ? a : b (mask is 0x00 or 0xff). */
function select(a: Uint8Array, b: Uint8Array, mask: number): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] & mask) | (b[i] & ~mask);
  return out;
}

export interface EndemicReceiverState {
  choices: Uint8Array; // 32 bytes = 256 bits
  secrets: Uint8Array[]; // t_a[k], 32-byte scalars
}

/** Receiver, first message (66 bytes per OT). */
export function endemicReceiverStart(sid: Uint8Array): { state: EndemicReceiverState; message: Uint8Array } {
  const choices = randomBytes(32);
  const secrets = randomScalarsEncoded(BASE_OT_COUNT);
  const decoys = randomScalarsEncoded(BASE_OT_COUNT); // discrete logs of the decoy points, dropped
  const message = new Uint8Array(ENDEMIC_MESSAGE_BYTES);
  for (let k = 0; k < BASE_OT_COUNT; k++) {
    const c = bit(choices, k);
    const ta = secrets[k];
    const other = compress(curve.mulBase(decoys[k], false));
    decoys[k].fill(0);
    const h0 = hashToPoint(sid, 0, k, other);
    const h1 = hashToPoint(sid, 1, k, other); // one of the two is the decoy
    const h = select(h1, h0, -c & 0xff);
    const real = curve.add(curve.mulBase(ta, false), negate(h), false);
    if (!real) abort('INVALID_POINT', 'base OT: degenerate receiver point'); // probability ~2^-256
    const realC = compress(real);
    const mask = -c & 0xff; // 0xff when c = 1: the real point goes to slot 1
    message.set(select(other, realC, mask), 66 * k);
    message.set(select(realC, other, mask), 66 * k + 33);
  }
  return { state: { choices, secrets }, message };
}

/** Sender: consumes the receiver's message, returns both keys of every OT and its reply. */
export function endemicSend(
  sid: Uint8Array,
  message: Uint8Array,
  peer: number,
): { rho0: Uint8Array[]; rho1: Uint8Array[]; message: Uint8Array } {
  if (message.length !== ENDEMIC_MESSAGE_BYTES) abort('MALFORMED_MESSAGE', 'base OT message 1: wrong length', peer);
  const reply = new Uint8Array(ENDEMIC_MESSAGE_BYTES);
  const secrets = randomScalarsEncoded(2 * BASE_OT_COUNT); // t_0, t_1 of every OT
  const rho0: Uint8Array[] = [];
  const rho1: Uint8Array[] = [];
  for (let k = 0; k < BASE_OT_COUNT; k++) {
    const r0c = message.subarray(66 * k, 66 * k + 33);
    const r1c = message.subarray(66 * k + 33, 66 * k + 66);
    const r0 = decompress(r0c, 'base OT message 1', peer);
    const r1 = decompress(r1c, 'base OT message 1', peer);
    const a0 = curve.add(r0, hashToPoint(sid, 0, k, r1c), false);
    const a1 = curve.add(r1, hashToPoint(sid, 1, k, r0c), false);
    if (!a0 || !a1) abort('INVALID_POINT', 'base OT message 1: degenerate point', peer);
    for (const [b, a] of [[0, a0], [1, a1]] as const) {
      const tb = secrets[2 * k + b];
      reply.set(compress(curve.mulBase(tb, false)), 66 * k + 33 * b);
      (b === 0 ? rho0 : rho1).push(keyFromPoint(sid, k, curve.mulSecret(a, tb)));
      tb.fill(0);
    }
  }
  return { rho0, rho1, message: reply };
}

/** Receiver, finish: one key per OT, for its choice bit. */
export function endemicReceiverFinish(
  sid: Uint8Array,
  state: EndemicReceiverState,
  message: Uint8Array,
  peer: number,
): { choices: Uint8Array; rho: Uint8Array[] } {
  if (message.length !== ENDEMIC_MESSAGE_BYTES) abort('MALFORMED_MESSAGE', 'base OT message 2: wrong length', peer);
  const rho: Uint8Array[] = [];
  for (let k = 0; k < BASE_OT_COUNT; k++) {
    const t0 = decompress(message.subarray(66 * k, 66 * k + 33), 'base OT message 2', peer);
    const t1 = decompress(message.subarray(66 * k + 33, 66 * k + 66), 'base OT message 2', peer);
    const tc = select(t1, t0, -bit(state.choices, k) & 0xff);
    rho.push(keyFromPoint(sid, k, curve.mulSecret(tc, state.secrets[k])));
  }
  for (const s of state.secrets) s.fill(0);
  return { choices: state.choices, rho };
}
