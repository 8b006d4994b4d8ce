// Unit tests of the two-party OT stack, layer by layer: endemic base OT, all-but-one OT (PPRF),
// SoftSpoken OT extension and RVOLE. Each layer is checked for correct outputs and for catching a
// cheating counterparty with the right error code, the right culprit and the right ban flag.
//
// Roles (one ordered pair throughout):
//   ALICE: base-OT sender  -> PPRF builder   -> OTE receiver (all 16 leaves) -> RVOLE receiver (chi)
//   BOB:   base-OT receiver -> PPRF evaluator -> OTE sender (Delta)          -> RVOLE sender (a0, a1)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes as nodeRandomBytes, randomInt } from 'node:crypto';
import { TssError, type TssErrorCode } from '../../src/tss/errors.ts';
import { Hasher, equalBytes, expand, hash, u32 } from '../../src/tss/hash.ts';
import { Point } from '../../src/tss/math/point.ts';
import { Q, add, encodeScalar, mod, mul, randomScalar, reduce } from '../../src/tss/math/scalar.ts';
import { bit } from '../../src/tss/ot/bits.ts';
import {
  BASE_OT_COUNT,
  ENDEMIC_MESSAGE_BYTES,
  endemicReceiverFinish,
  endemicReceiverStart,
  endemicSend,
  type EndemicReceiverState,
} from '../../src/tss/ot/endemic.ts';
import { BLOCKS, BLOCK_MESSAGE_BYTES, LEAVES, LEAVES_BYTES, PPRF_MESSAGE_BYTES, SEED, buildPprf, evalPprf } from '../../src/tss/ot/pprf.ts';
import { OTE_MESSAGE_BYTES, OT_COUNT, OT_PAYLOAD, ROWS, ROW_BYTES, checkValue, checkValues, oteReceive, oteSend } from '../../src/tss/ot/softspoken.ts';
import { GfMultiplier } from '../../src/tss/ot/gf128.ts';
import { transpose } from '../../src/tss/ot/bits.ts';
import {
  RVOLE_MESSAGE1_BYTES,
  RVOLE_MESSAGE2_BYTES,
  rvoleReceiverFinish,
  rvoleReceiverStart,
  rvoleSend,
  type RvoleReceiverState,
} from '../../src/tss/ot/rvole.ts';

const ALICE = 3;
const BOB = 5;

const rand = (n: number): Uint8Array => new Uint8Array(nodeRandomBytes(n));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Copy of buf with byte `at` changed (XOR with a random non-zero value). */
function flipByte(buf: Uint8Array, at: number): Uint8Array {
  const out = buf.slice();
  out[at] ^= 1 + randomInt(255);
  return out;
}

function withBytes(buf: Uint8Array, at: number, bytes: Uint8Array): Uint8Array {
  const out = buf.slice();
  out.set(bytes, at);
  return out;
}

/** Asserts that fn throws a TssError with the given code (and party / ban when given). */
function assertTssError(fn: () => unknown, code: TssErrorCode, expect: { party?: number; ban?: boolean } = {}, what = ''): TssError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  const where = what ? ` [${what}]` : '';
  assert.ok(caught !== undefined, `expected a TssError ${code}, nothing was thrown${where}`);
  assert.ok(caught instanceof TssError, `expected a TssError ${code}, got ${String(caught)}${where}`);
  assert.equal(caught.code, code, `wrong code (message: ${caught.message})${where}`);
  if ('party' in expect) assert.equal(caught.party, expect.party, `wrong party${where}`);
  if ('ban' in expect) assert.equal(caught.ban, expect.ban, `wrong ban flag${where}`);
  return caught;
}

/** A 33-byte 0x02-prefixed string whose x is not the x-coordinate of a curve point. */
const NOT_ON_CURVE: Uint8Array = (() => {
  for (let x = 1n; ; x++) {
    const b = new Uint8Array(33);
    b[0] = 2;
    b.set(encodeScalar(x), 1);
    try {
      Point.fromBytes(b);
    } catch {
      return b;
    }
  }
})();

/** Encodings that are not curve points, each 33 bytes. */
const BAD_POINTS: [string, Uint8Array][] = [
  ['33 zero bytes', new Uint8Array(33)],
  ['0x02 and an x not on the curve', NOT_ON_CURVE],
  ['0x03 and x = 2^256 - 1 (>= p)', Uint8Array.from([3, ...new Uint8Array(32).fill(0xff)])],
  ['prefix 0x04', Uint8Array.from([4, ...Point.BASE.toBytes(true).subarray(1)])],
];

// ---------------------------------------------------------------------------------------------
// Shared setup: one honest base OT (BOB receives from ALICE) and PPRF (ALICE builds for BOB).

interface BaseOt {
  sid: Uint8Array;
  receiverMessage: Uint8Array;
  senderMessage: Uint8Array;
  rho0: Uint8Array[];
  rho1: Uint8Array[];
  choices: Uint8Array;
  rho: Uint8Array[];
}

interface Seeds extends BaseOt {
  pprfSid: Uint8Array;
  pprfMessage: Uint8Array;
  builderLeaves: Uint8Array; // ALICE: all 16 leaves per block
  delta: Uint8Array; // BOB
  evalLeaves: Uint8Array; // BOB: leaf Delta_j zeroed
}

function runBaseOt(sid = rand(32)): BaseOt {
  const start = endemicReceiverStart(sid);
  const sent = endemicSend(sid, start.message, BOB);
  const fin = endemicReceiverFinish(sid, start.state, sent.message, ALICE);
  return { sid, receiverMessage: start.message, senderMessage: sent.message, rho0: sent.rho0, rho1: sent.rho1, choices: fin.choices, rho: fin.rho };
}

let sharedSeeds: Seeds | undefined;
function seeds(): Seeds {
  if (!sharedSeeds) {
    const ot = runBaseOt();
    const pprfSid = rand(32);
    const built = buildPprf(pprfSid, ot.rho0, ot.rho1);
    const ev = evalPprf(pprfSid, ot.choices, ot.rho, built.message, ALICE);
    sharedSeeds = { ...ot, pprfSid, pprfMessage: built.message, builderLeaves: built.leaves, delta: ev.delta, evalLeaves: ev.leaves };
  }
  return sharedSeeds;
}

/** Asserts that the receiver holds exactly the sender's key for its choice bit, for every OT. */
function assertBaseOtKeys(ot: { rho0: Uint8Array[]; rho1: Uint8Array[]; choices: Uint8Array; rho: Uint8Array[] }): void {
  assert.equal(ot.rho.length, BASE_OT_COUNT);
  assert.equal(ot.rho0.length, BASE_OT_COUNT);
  assert.equal(ot.rho1.length, BASE_OT_COUNT);
  for (let k = 0; k < BASE_OT_COUNT; k++) {
    const c = bit(ot.choices, k);
    const [mine, other] = c ? [ot.rho1[k], ot.rho0[k]] : [ot.rho0[k], ot.rho1[k]];
    assert.equal(ot.rho[k].length, 32);
    assert.ok(equalBytes(ot.rho[k], mine), `OT ${k}: receiver key differs from the sender's key for choice ${c}`);
    assert.ok(!equalBytes(ot.rho[k], other), `OT ${k}: receiver key equals the other key`);
  }
}

/** White-box copy of endemic.ts's random oracle onto the curve (to craft degenerate messages). */
function hashToPoint(sid: Uint8Array, ro: number, k: number, p33: Uint8Array): Point {
  for (let ctr = 0; ; ctr++) {
    const h = expand('eot/hash-to-point', 33, sid, u32(ro), u32(k), p33, u32(ctr));
    h[0] = 2 | (h[0] & 1);
    try {
      return Point.fromBytes(h);
    } catch {
      // not on the curve: next counter
    }
  }
}

// ---------------------------------------------------------------------------------------------

describe('endemic base OT', () => {
  it('the receiver gets the sender key of its choice bit (and not the other one) for all 256 OTs', () => {
    const ot = seeds();
    assertBaseOtKeys(ot);
    // Keys are distinct across OTs and between the two slots.
    const all = new Set([...ot.rho0, ...ot.rho1].map(hex));
    assert.equal(all.size, 2 * BASE_OT_COUNT);
    // Choice bits are not degenerate (all-zero / all-one has probability 2^-255).
    const ones = Array.from({ length: BASE_OT_COUNT }, (_, k) => bit(ot.choices, k)).reduce((s, b) => s + b, 0);
    assert.ok(ones > 0 && ones < BASE_OT_COUNT);
  });

  it('both slots of every message pair are valid compressed points, in both directions', () => {
    const ot = seeds();
    for (const msg of [ot.receiverMessage, ot.senderMessage]) {
      assert.equal(msg.length, ENDEMIC_MESSAGE_BYTES);
      assert.equal(ENDEMIC_MESSAGE_BYTES, 256 * 66);
      for (let k = 0; k < BASE_OT_COUNT; k++) {
        for (const slot of [0, 1]) {
          const enc = msg.subarray(66 * k + 33 * slot, 66 * k + 33 * slot + 33);
          assert.ok(enc[0] === 2 || enc[0] === 3, `OT ${k} slot ${slot}: prefix ${enc[0]}`);
          const p = Point.fromBytes(enc); // throws if not on the curve
          assert.ok(!p.is0());
        }
      }
    }
  });

  it('receiver message has the endemic structure: slot c + H(c, k, slot 1-c) = t_a * G', () => {
    const sid = rand(32);
    const { state, message } = endemicReceiverStart(sid);
    // Checked on 32 OTs (white-box copy of the random oracle; the full run is covered by the key test).
    for (let k = 0; k < BASE_OT_COUNT; k += 8) {
      const c = bit(state.choices, k);
      const real = Point.fromBytes(message.subarray(66 * k + 33 * c, 66 * k + 33 * c + 33));
      const otherEnc = message.subarray(66 * k + 33 * (1 - c), 66 * k + 33 * (1 - c) + 33);
      const ta = BigInt('0x' + hex(state.secrets[k]));
      assert.ok(real.add(hashToPoint(sid, c, k, otherEnc)).equals(Point.BASE.multiply(ta)), `OT ${k}`);
    }
  });

  it('a different session id on the two sides gives the receiver neither key', () => {
    const start = endemicReceiverStart(rand(32));
    const sent = endemicSend(rand(32), start.message, BOB);
    const fin = endemicReceiverFinish(rand(32), start.state, sent.message, ALICE);
    for (let k = 0; k < BASE_OT_COUNT; k++) {
      assert.ok(!equalBytes(fin.rho[k], sent.rho0[k]) && !equalBytes(fin.rho[k], sent.rho1[k]), `OT ${k}`);
    }
  });

  it('a message of the wrong length is MALFORMED_MESSAGE naming the peer, on both sides', () => {
    const ot = seeds();
    const dummyState = (): EndemicReceiverState => ({ choices: rand(32), secrets: Array.from({ length: BASE_OT_COUNT }, () => encodeScalar(randomScalar())) });
    for (const len of [0, ENDEMIC_MESSAGE_BYTES - 1, ENDEMIC_MESSAGE_BYTES + 1, ENDEMIC_MESSAGE_BYTES - 33]) {
      const msg = new Uint8Array(len);
      msg.set(ot.receiverMessage.subarray(0, Math.min(len, ENDEMIC_MESSAGE_BYTES)));
      assertTssError(() => endemicSend(ot.sid, msg, BOB), 'MALFORMED_MESSAGE', { party: BOB }, `sender, length ${len}`);
      const reply = new Uint8Array(len);
      reply.set(ot.senderMessage.subarray(0, Math.min(len, ENDEMIC_MESSAGE_BYTES)));
      assertTssError(() => endemicReceiverFinish(ot.sid, dummyState(), reply, ALICE), 'MALFORMED_MESSAGE', { party: ALICE }, `receiver, length ${len}`);
    }
  });

  it('sender: a slot that is not a curve point is INVALID_POINT naming the receiver; an honest run follows', () => {
    const sid = rand(32);
    const start = endemicReceiverStart(sid);
    const positions = [
      [0, 0],
      [0, 1],
      [1 + randomInt(BASE_OT_COUNT - 2), randomInt(2)],
      [BASE_OT_COUNT - 1, 1],
    ];
    for (const [name, bad] of BAD_POINTS) {
      for (const [k, slot] of positions) {
        const msg = withBytes(start.message, 66 * k + 33 * slot, bad);
        assertTssError(() => endemicSend(sid, msg, BOB), 'INVALID_POINT', { party: BOB }, `${name} at OT ${k} slot ${slot}`);
      }
    }
    // The library (including the WebAssembly secp256k1 module) still works afterwards.
    const sent = endemicSend(sid, start.message, BOB);
    const fin = endemicReceiverFinish(sid, start.state, sent.message, ALICE);
    assertBaseOtKeys({ ...sent, ...fin });
  });

  it('receiver: a slot that is not a curve point is INVALID_POINT naming the sender; an honest finish follows', () => {
    const sid = rand(32);
    const start = endemicReceiverStart(sid);
    const sent = endemicSend(sid, start.message, BOB);
    const k = 1 + randomInt(BASE_OT_COUNT - 2);
    // Both the slot the receiver uses and the one it ignores must be validated (else a sender
    // could learn the choice bit from whether the receiver aborts).
    const c = bit(start.state.choices, k);
    for (const [name, bad] of BAD_POINTS) {
      for (const [kk, slot] of [[0, 0], [0, 1], [k, c], [k, 1 - c], [BASE_OT_COUNT - 1, 1]]) {
        const reply = withBytes(sent.message, 66 * kk + 33 * slot, bad);
        assertTssError(() => endemicReceiverFinish(sid, start.state, reply, ALICE), 'INVALID_POINT', { party: ALICE }, `${name} at OT ${kk} slot ${slot}`);
      }
    }
    const fin = endemicReceiverFinish(sid, start.state, sent.message, ALICE);
    assertBaseOtKeys({ ...sent, ...fin });
  });

  it('sender: a receiver point that cancels the random oracle (A_b = identity) is INVALID_POINT; an honest run follows', () => {
    // White-box: slot b := -H(b, k, sid, slot 1-b) makes A_b the identity.
    const sid = rand(32);
    const start = endemicReceiverStart(sid);
    for (const b of [0, 1]) {
      const k = randomInt(BASE_OT_COUNT);
      const otherEnc = start.message.subarray(66 * k + 33 * (1 - b), 66 * k + 33 * (1 - b) + 33);
      const evil = hashToPoint(sid, b, k, otherEnc).negate().toBytes(true);
      const msg = withBytes(start.message, 66 * k + 33 * b, evil);
      assertTssError(() => endemicSend(sid, msg, BOB), 'INVALID_POINT', { party: BOB }, `slot ${b} of OT ${k}`);
    }
    const sent = endemicSend(sid, start.message, BOB);
    assertBaseOtKeys({ ...sent, ...endemicReceiverFinish(sid, start.state, sent.message, ALICE) });
  });
});

// ---------------------------------------------------------------------------------------------

/** Offset of correction word t[level][side] of block j in the PPRF message (level 0..2). */
const cwOffset = (j: number, level: number, side: number) => j * BLOCK_MESSAGE_BYTES + (2 * level + side) * SEED;
const sTildeOffset = (j: number) => j * BLOCK_MESSAGE_BYTES + 6 * SEED;
const tTildeOffset = (j: number) => j * BLOCK_MESSAGE_BYTES + 6 * SEED + 64;

describe('all-but-one OT (PPRF)', () => {
  it('builder and evaluator leaves agree except at Delta_j, where the evaluator holds zeros; Delta_j < 16', () => {
    const s = seeds();
    assert.equal(s.pprfMessage.length, PPRF_MESSAGE_BYTES);
    assert.equal(PPRF_MESSAGE_BYTES, 64 * 320);
    assert.equal(s.builderLeaves.length, LEAVES_BYTES);
    assert.equal(s.evalLeaves.length, LEAVES_BYTES);
    assert.equal(s.delta.length, BLOCKS);
    const zero = new Uint8Array(SEED);
    for (let j = 0; j < BLOCKS; j++) {
      assert.ok(s.delta[j] < LEAVES, `block ${j}: Delta ${s.delta[j]}`);
      for (let y = 0; y < LEAVES; y++) {
        const off = (j * LEAVES + y) * SEED;
        const b = s.builderLeaves.subarray(off, off + SEED);
        const e = s.evalLeaves.subarray(off, off + SEED);
        if (y === s.delta[j]) {
          assert.ok(equalBytes(e, zero), `block ${j}: evaluator leaf Delta is not zero`);
          assert.ok(!equalBytes(b, zero), `block ${j}: builder leaf Delta is zero`);
        } else {
          assert.ok(equalBytes(b, e), `block ${j} leaf ${y} differs`);
        }
      }
    }
    // All 16 * 64 builder leaves are distinct.
    const set = new Set<string>();
    for (let i = 0; i < BLOCKS * LEAVES; i++) set.add(hex(s.builderLeaves.subarray(i * SEED, (i + 1) * SEED)));
    assert.equal(set.size, BLOCKS * LEAVES);
  });

  it("Delta_j's bits, most significant first, are the complements of the choice bits 4j..4j+3", () => {
    const s = seeds();
    for (let j = 0; j < BLOCKS; j++) {
      let expected = 0;
      for (let i = 0; i < 4; i++) expected = (expected << 1) | (1 - bit(s.choices, 4 * j + i));
      assert.equal(s.delta[j], expected, `block ${j}`);
    }
    // All 16 values occur over 64 blocks only with probability < 1, but Delta must not be constant.
    assert.ok(new Set(s.delta).size > 1);
  });

  it('a wrong-length message is MALFORMED_MESSAGE naming the builder', () => {
    const s = seeds();
    for (const len of [0, PPRF_MESSAGE_BYTES - 1, PPRF_MESSAGE_BYTES + 1]) {
      const msg = new Uint8Array(len);
      msg.set(s.pprfMessage.subarray(0, Math.min(len, PPRF_MESSAGE_BYTES)));
      assertTssError(() => evalPprf(s.pprfSid, s.choices, s.rho, msg, ALICE), 'MALFORMED_MESSAGE', { party: ALICE });
    }
  });

  it('a flipped byte in s~ or t~ of any block is PPRF_CHECK_FAILED, party = builder, ban', () => {
    const s = seeds();
    for (const j of [0, BLOCKS - 1, randomInt(BLOCKS), randomInt(BLOCKS)]) {
      for (const [name, off] of [['s~', sTildeOffset(j)], ['t~', tTildeOffset(j)]] as const) {
        for (const at of [off, off + 63, off + randomInt(64)]) {
          const msg = flipByte(s.pprfMessage, at);
          assertTssError(() => evalPprf(s.pprfSid, s.choices, s.rho, msg, ALICE), 'PPRF_CHECK_FAILED', { party: ALICE, ban: true }, `${name} of block ${j}, byte ${at - off}`);
        }
      }
    }
  });

  it('corrupting both correction words of a level is always PPRF_CHECK_FAILED, party = builder, ban', () => {
    const s = seeds();
    for (const j of [0, BLOCKS - 1, randomInt(BLOCKS)]) {
      for (let level = 0; level < 3; level++) {
        let msg = flipByte(s.pprfMessage, cwOffset(j, level, 0) + randomInt(SEED));
        msg = flipByte(msg, cwOffset(j, level, 1) + randomInt(SEED));
        assertTssError(() => evalPprf(s.pprfSid, s.choices, s.rho, msg, ALICE), 'PPRF_CHECK_FAILED', { party: ALICE, ban: true }, `block ${j} level ${level}`);
      }
    }
  });

  it('selective failure: only the correction word selected by the choice bit is detected (docs/bans.md)', () => {
    const s = seeds();
    for (const j of [0, BLOCKS - 1, randomInt(BLOCKS), randomInt(BLOCKS)]) {
      for (let level = 0; level < 3; level++) {
        // Correction words t[level] are used at tree level i = level + 1, selected by choice bit 4j + i.
        const c = bit(s.choices, 4 * j + level + 1);
        const used = flipByte(s.pprfMessage, cwOffset(j, level, c) + randomInt(SEED));
        assertTssError(() => evalPprf(s.pprfSid, s.choices, s.rho, used, ALICE), 'PPRF_CHECK_FAILED', { party: ALICE, ban: true }, `used word, block ${j} level ${level}`);
        const unused = flipByte(s.pprfMessage, cwOffset(j, level, 1 - c) + randomInt(SEED));
        const out = evalPprf(s.pprfSid, s.choices, s.rho, unused, ALICE); // undetected ...
        assert.deepEqual(out.delta, s.delta); // ... and without effect on the evaluator's output
        assert.ok(equalBytes(out.leaves, s.evalLeaves));
      }
    }
  });

  it('a different session id or different base-OT keys make the proof fail', () => {
    const s = seeds();
    assertTssError(() => evalPprf(rand(32), s.choices, s.rho, s.pprfMessage, ALICE), 'PPRF_CHECK_FAILED', { party: ALICE, ban: true }, 'session id');
    const rho = s.rho.slice();
    const k = randomInt(BASE_OT_COUNT);
    rho[k] = flipByte(rho[k], randomInt(32));
    assertTssError(() => evalPprf(s.pprfSid, s.choices, rho, s.pprfMessage, ALICE), 'PPRF_CHECK_FAILED', { party: ALICE, ban: true }, `key ${k}`);
  });

  it('Buffers in (whose slice() is a view, not a copy): the same leaves, and the inputs are left as they were', () => {
    const s = seeds();
    const asBuffer = (b: Uint8Array) => Buffer.from(b);
    const [rho0, rho1, rho] = [s.rho0.map(asBuffer), s.rho1.map(asBuffer), s.rho.map(asBuffer)];
    const built = buildPprf(asBuffer(s.pprfSid), rho0, rho1);
    assert.ok(rho0.every((b, k) => equalBytes(b, s.rho0[k])) && rho1.every((b, k) => equalBytes(b, s.rho1[k])), "the builder's base-OT keys are unchanged");
    const message = asBuffer(built.message);
    const ev = evalPprf(asBuffer(s.pprfSid), asBuffer(s.choices), rho, message, ALICE);
    assert.ok(equalBytes(message, built.message), 'the message is unchanged');
    assert.ok(rho.every((b, k) => equalBytes(b, s.rho[k])), "the evaluator's keys are unchanged");
    assert.deepEqual(ev.delta, s.delta);
  });
});

// ---------------------------------------------------------------------------------------------

const X_OFFSET = BLOCKS * ROW_BYTES; // 5120
const T_OFFSET = X_OFFSET + 16; // 5136 + 16 r

describe('SoftSpoken OT extension', () => {
  it("the check values computed column by column equal the definition, row by row (all zeros, all ones, random)", () => {
    for (const fill of [0x00, 0xff, -1]) {
      const matrix = fill < 0 ? rand(ROWS * ROW_BYTES) : new Uint8Array(ROWS * ROW_BYTES).fill(fill);
      const e = [0, 1, 2, 3].map(() => new GfMultiplier(rand(16)));
      const all = checkValues(transpose(matrix, ROWS, ROW_BYTES * 8), e);
      assert.equal(all.length, ROWS * 16);
      for (let r = 0; r < ROWS; r++) {
        const one = new Uint8Array(checkValue(matrix, r * ROW_BYTES, e).buffer);
        assert.ok(equalBytes(all.subarray(16 * r, 16 * r + 16), one), `row ${r} (fill ${fill})`);
      }
    }
  });

  it('for all 512 OTs the receiver output is v1 when beta = 1 and v0 when beta = 0', () => {
    const s = seeds();
    for (let run = 0; run < 2; run++) {
      const sid = rand(32);
      const beta = rand(OT_COUNT / 8);
      const { message, outputs } = oteReceive(sid, s.builderLeaves, beta);
      assert.equal(message.length, OTE_MESSAGE_BYTES);
      assert.equal(OTE_MESSAGE_BYTES, 9232);
      assert.equal(outputs.length, OT_COUNT * OT_PAYLOAD);
      const { v0, v1 } = oteSend(sid, s.delta, s.evalLeaves, message, ALICE);
      assert.equal(v0.length, OT_COUNT * OT_PAYLOAD);
      assert.equal(v1.length, OT_COUNT * OT_PAYLOAD);
      for (let j = 0; j < OT_COUNT; j++) {
        const sl = (v: Uint8Array) => v.subarray(j * OT_PAYLOAD, (j + 1) * OT_PAYLOAD);
        const b = bit(beta, j);
        const [chosen, other] = b ? [sl(v1), sl(v0)] : [sl(v0), sl(v1)];
        assert.ok(equalBytes(sl(outputs), chosen), `OT ${j} (beta ${b}): output differs from v${b}`);
        assert.ok(!equalBytes(sl(outputs), other), `OT ${j} (beta ${b}): output equals v${1 - b}`);
      }
    }
  });

  it('fresh session ids give unrelated outputs from the same seeds', () => {
    const s = seeds();
    const beta = rand(OT_COUNT / 8);
    const a = oteReceive(rand(32), s.builderLeaves, beta).outputs;
    const b = oteReceive(rand(32), s.builderLeaves, beta).outputs;
    for (let j = 0; j < OT_COUNT; j++) assert.ok(!equalBytes(a.subarray(j * 96, j * 96 + 96), b.subarray(j * 96, j * 96 + 96)));
  });

  it('a cheating receiver (flipped byte in a t row, in u or in x) is OT_CHECK_FAILED, party = receiver, ban', () => {
    const s = seeds();
    const sid = rand(32);
    const { message } = oteReceive(sid, s.builderLeaves, rand(OT_COUNT / 8));
    // Precondition for the x case: x enters the check of every row r whose nabla bit (a Delta bit) is 1.
    assert.ok(s.delta.some((d) => d !== 0));
    const cases: [string, number][] = [
      ['t row 0', T_OFFSET + randomInt(16)],
      ['t row 255', T_OFFSET + 16 * (ROWS - 1) + randomInt(16)],
      ...Array.from({ length: 4 }, (): [string, number] => {
        const r = randomInt(ROWS);
        return [`t row ${r}`, T_OFFSET + 16 * r + randomInt(16)];
      }),
      ['u first byte', 0],
      ['u last byte', X_OFFSET - 1],
      ...Array.from({ length: 3 }, (): [string, number] => {
        const at = randomInt(X_OFFSET);
        return [`u byte ${at}`, at];
      }),
      ['x first byte', X_OFFSET],
      ['x last byte', X_OFFSET + 15],
      ['x random byte', X_OFFSET + randomInt(16)],
    ];
    for (const [name, at] of cases) {
      const bad = flipByte(message, at);
      assertTssError(() => oteSend(sid, s.delta, s.evalLeaves, bad, ALICE), 'OT_CHECK_FAILED', { party: ALICE, ban: true }, name);
    }
    // Control: the untampered message passes.
    oteSend(sid, s.delta, s.evalLeaves, message, ALICE);
  });

  it('a wrong-length message is MALFORMED_MESSAGE naming the receiver', () => {
    const s = seeds();
    const { message } = oteReceive(rand(32), s.builderLeaves, rand(OT_COUNT / 8));
    for (const len of [0, OTE_MESSAGE_BYTES - 1, OTE_MESSAGE_BYTES + 1, OTE_MESSAGE_BYTES - 16]) {
      const msg = new Uint8Array(len);
      msg.set(message.subarray(0, Math.min(len, OTE_MESSAGE_BYTES)));
      assertTssError(() => oteSend(rand(32), s.delta, s.evalLeaves, msg, ALICE), 'MALFORMED_MESSAGE', { party: ALICE });
    }
  });

  it('different session ids on the two sides make the sender check fail (OT_CHECK_FAILED, ban receiver)', () => {
    // The PRG rows depend on the session id, so the sender's matrix W is unrelated to the
    // receiver's and the consistency check fails (it does not silently produce disagreeing outputs).
    const s = seeds();
    const { message } = oteReceive(rand(32), s.builderLeaves, rand(OT_COUNT / 8));
    assertTssError(() => oteSend(rand(32), s.delta, s.evalLeaves, message, ALICE), 'OT_CHECK_FAILED', { party: ALICE, ban: true });
  });
});

// ---------------------------------------------------------------------------------------------

const ETA_OFFSET = OT_COUNT * 96; // 49152
const MU_OFFSET = ETA_OFFSET + 32; // 49184

/** Receiver state copy (finish zeroes beta and outputs on success). */
function cloneState(st: RvoleReceiverState): RvoleReceiverState {
  return { ...st, beta: st.beta.slice(), outputs: st.outputs.slice(), gadget: [...st.gadget] };
}

function assertRvole(a: readonly [bigint, bigint], c: readonly [bigint, bigint], d: readonly [bigint, bigint], chi: bigint): void {
  for (const m of [0, 1]) assert.equal(add(c[m], d[m]), mul(a[m], chi), `c_${m} + d_${m} != a_${m} * chi`);
}

/**
 * White-box re-implementation of rvoleSend (same hashes as rvole.ts) in which the sender may use a
 * different input pair in each OT row, as a cheating sender would, while computing theta, eta' and
 * mu honestly from what it sends.
 */
function cheatingRvoleSend(sid: Uint8Array, s: Seeds, message1: Uint8Array, announced: readonly [bigint, bigint], rowInput: (k: number) => readonly [bigint, bigint]): { c: [bigint, bigint]; message: Uint8Array } {
  const { v0, v1 } = oteSend(sid, s.delta, s.evalLeaves, message1, ALICE);
  const gbytes = expand('rvole/gadget', OT_COUNT * 32, sid);
  const g = Array.from({ length: OT_COUNT }, (_, k) => reduce(gbytes, 32 * k));
  const eta = randomScalar();
  const out = new Uint8Array(RVOLE_MESSAGE2_BYTES);
  const alpha0: bigint[] = [];
  let c0 = 0n;
  let c1 = 0n;
  for (let k = 0; k < OT_COUNT; k++) {
    const inputs = [...rowInput(k), eta];
    for (let m = 0; m < 3; m++) {
      const x0 = reduce(v0, k * OT_PAYLOAD + 32 * m);
      const x1 = reduce(v1, k * OT_PAYLOAD + 32 * m);
      alpha0[3 * k + m] = x0;
      out.set(encodeScalar(mod(x0 - x1 + inputs[m])), k * 96 + 32 * m);
    }
    c0 += g[k] * alpha0[3 * k];
    c1 += g[k] * alpha0[3 * k + 1];
  }
  const t = expand('rvole/theta-expand', 64, sid, hash('rvole/theta', sid, out.subarray(0, ETA_OFFSET)));
  const [th0, th1] = [reduce(t, 0), reduce(t, 32)];
  out.set(encodeScalar(mod(eta + th0 * announced[0] + th1 * announced[1])), ETA_OFFSET);
  const chunk = new Uint8Array(32 * OT_COUNT);
  for (let k = 0; k < OT_COUNT; k++) chunk.set(encodeScalar(mod(alpha0[3 * k + 2] + th0 * alpha0[3 * k] + th1 * alpha0[3 * k + 1])), 32 * k);
  out.set(new Hasher('rvole/mu', 64).update(sid).update(chunk).digest(), MU_OFFSET);
  return { c: [mod(-c0), mod(-c1)], message: out };
}

describe('RVOLE', () => {
  it('c_m + d_m = a_m * chi (mod q) for m = 0, 1 over several runs', () => {
    const s = seeds();
    const inputs: [bigint, bigint][] = [
      [randomScalar(), randomScalar()],
      [randomScalar(), randomScalar()],
      [randomScalar(), randomScalar()],
      [0n, Q - 1n],
      [1n, 1n],
    ];
    const chis = new Set<bigint>();
    for (const a of inputs) {
      const sid = rand(32);
      const { state, message } = rvoleReceiverStart(sid, s.builderLeaves);
      assert.equal(message.length, RVOLE_MESSAGE1_BYTES);
      const chi = state.chi;
      assert.ok(chi > 0n && chi < Q);
      chis.add(chi);
      const sent = rvoleSend(sid, s.delta, s.evalLeaves, message, a, ALICE);
      assert.equal(sent.message.length, RVOLE_MESSAGE2_BYTES);
      assert.equal(RVOLE_MESSAGE2_BYTES, 49248);
      assert.ok(sent.c.every((x) => x >= 0n && x < Q));
      const d = rvoleReceiverFinish(state, sent.message, BOB);
      assert.ok(d.every((x) => x >= 0n && x < Q));
      assertRvole(a, sent.c, d, chi);
      // And not trivially: the shares are not the product itself.
      if (a[0] !== 0n) assert.notEqual(d[0], mul(a[0], chi));
    }
    assert.equal(chis.size, inputs.length, 'chi is fresh per session');
  });

  describe('cheating sender', () => {
    let fixture: { sid: Uint8Array; state: RvoleReceiverState; message: Uint8Array; a: [bigint, bigint]; c: [bigint, bigint] } | undefined;
    const setup = () => {
      if (!fixture) {
        const s = seeds();
        const sid = rand(32);
        const { state, message: m1 } = rvoleReceiverStart(sid, s.builderLeaves);
        const a: [bigint, bigint] = [randomScalar(), randomScalar()];
        const { c, message } = rvoleSend(sid, s.delta, s.evalLeaves, m1, a, ALICE);
        fixture = { sid, state, message, a, c };
      }
      return fixture;
    };
    const rowsWithBeta = (st: RvoleReceiverState, b: number) => Array.from({ length: OT_COUNT }, (_, k) => k).filter((k) => bit(st.beta, k) === b);

    it('control: the untampered message is accepted', () => {
      const f = setup();
      assertRvole(f.a, f.c, rvoleReceiverFinish(cloneState(f.state), f.message, BOB), f.state.chi);
    });

    it('a modified a~ entry (re-encoded a~ + 1, still < q) is RVOLE_CHECK_FAILED, party = sender, ban', () => {
      const f = setup();
      const ones = rowsWithBeta(f.state, 1);
      const zeros = rowsWithBeta(f.state, 0);
      assert.ok(ones.length > 0 && zeros.length > 0);
      // Detected whatever the receiver's bit in that row (theta hashes all of a~).
      for (const k of [0, OT_COUNT - 1, ones[randomInt(ones.length)], zeros[randomInt(zeros.length)]]) {
        for (let m = 0; m < 3; m++) {
          const off = k * 96 + 32 * m;
          const v = BigInt('0x' + hex(f.message.subarray(off, off + 32)));
          const bad = withBytes(f.message, off, encodeScalar(mod(v + 1n)));
          assertTssError(() => rvoleReceiverFinish(cloneState(f.state), bad, BOB), 'RVOLE_CHECK_FAILED', { party: BOB, ban: true }, `a~[${k}][${m}], beta ${bit(f.state.beta, k)}`);
        }
      }
    });

    it("a modified eta' or mu is RVOLE_CHECK_FAILED, party = sender, ban", () => {
      const f = setup();
      assert.ok(rowsWithBeta(f.state, 1).length > 0, "eta' enters every row with beta = 1");
      const eta = BigInt('0x' + hex(f.message.subarray(ETA_OFFSET, MU_OFFSET)));
      for (const e2 of [mod(eta + 1n), mod(eta - 1n), 0n]) {
        const bad = withBytes(f.message, ETA_OFFSET, encodeScalar(e2));
        assertTssError(() => rvoleReceiverFinish(cloneState(f.state), bad, BOB), 'RVOLE_CHECK_FAILED', { party: BOB, ban: true }, "eta'");
      }
      for (const at of [MU_OFFSET, RVOLE_MESSAGE2_BYTES - 1, MU_OFFSET + randomInt(64)]) {
        assertTssError(() => rvoleReceiverFinish(cloneState(f.state), flipByte(f.message, at), BOB), 'RVOLE_CHECK_FAILED', { party: BOB, ban: true }, `mu byte ${at - MU_OFFSET}`);
      }
    });

    it("an a~ entry or eta' >= q is INVALID_SCALAR naming the sender", () => {
      const f = setup();
      const k = randomInt(OT_COUNT);
      for (const big of [encodeScalar(Q), new Uint8Array(32).fill(0xff)]) {
        for (let m = 0; m < 3; m++) {
          const bad = withBytes(f.message, k * 96 + 32 * m, big);
          assertTssError(() => rvoleReceiverFinish(cloneState(f.state), bad, BOB), 'INVALID_SCALAR', { party: BOB }, `a~[${k}][${m}]`);
        }
        assertTssError(() => rvoleReceiverFinish(cloneState(f.state), withBytes(f.message, ETA_OFFSET, big), BOB), 'INVALID_SCALAR', { party: BOB }, "eta'");
      }
    });

    it('a wrong-length message is MALFORMED_MESSAGE naming the sender', () => {
      const f = setup();
      for (const len of [0, RVOLE_MESSAGE2_BYTES - 1, RVOLE_MESSAGE2_BYTES + 1, RVOLE_MESSAGE2_BYTES - 64]) {
        const msg = new Uint8Array(len);
        msg.set(f.message.subarray(0, Math.min(len, RVOLE_MESSAGE2_BYTES)));
        assertTssError(() => rvoleReceiverFinish(cloneState(f.state), msg, BOB), 'MALFORMED_MESSAGE', { party: BOB });
      }
    });

    it('a sender using another input in one row (consistent theta, eta\', mu) is caught iff the receiver bit of that row is 1', () => {
      // Selective failure (docs/bans.md): the mu check catches inconsistent inputs in rows with
      // beta_k = 1; in rows with beta_k = 0 the deviation does not reach the receiver's output.
      const s = seeds();
      for (const deviateOn of [0, 1] as const) {
        for (const m of [0, 1]) {
          const sid = rand(32);
          const { state, message: m1 } = rvoleReceiverStart(sid, s.builderLeaves);
          const a: [bigint, bigint] = [randomScalar(), randomScalar()];
          // Control: the re-implementation with consistent inputs is accepted.
          const honest = cheatingRvoleSend(sid, s, m1, a, () => a);
          assertRvole(a, honest.c, rvoleReceiverFinish(cloneState(state), honest.message, BOB), state.chi);
          const rows = rowsWithBeta(state, deviateOn);
          const k = rows[randomInt(rows.length)];
          const other: [bigint, bigint] = [...a];
          other[m] = add(other[m], 1n + BigInt(randomInt(1000)));
          const evil = cheatingRvoleSend(sid, s, m1, a, (row) => (row === k ? other : a));
          if (deviateOn === 1) {
            assertTssError(() => rvoleReceiverFinish(cloneState(state), evil.message, BOB), 'RVOLE_CHECK_FAILED', { party: BOB, ban: true }, `row ${k}, input ${m}`);
          } else {
            assertRvole(a, evil.c, rvoleReceiverFinish(cloneState(state), evil.message, BOB), state.chi);
          }
        }
      }
    });
  });

  it('a cheating receiver (tampered OT-extension message) is OT_CHECK_FAILED at the sender, party = receiver, ban', () => {
    const s = seeds();
    const sid = rand(32);
    const { message } = rvoleReceiverStart(sid, s.builderLeaves);
    for (const at of [randomInt(X_OFFSET), X_OFFSET + randomInt(16), T_OFFSET + randomInt(ROWS * 16)]) {
      assertTssError(() => rvoleSend(sid, s.delta, s.evalLeaves, flipByte(message, at), [randomScalar(), randomScalar()], ALICE), 'OT_CHECK_FAILED', { party: ALICE, ban: true }, `byte ${at}`);
    }
    assertTssError(() => rvoleSend(sid, s.delta, s.evalLeaves, message.subarray(1), [1n, 2n], ALICE), 'MALFORMED_MESSAGE', { party: ALICE });
    // Control.
    rvoleSend(sid, s.delta, s.evalLeaves, message, [1n, 2n], ALICE);
  });
});
