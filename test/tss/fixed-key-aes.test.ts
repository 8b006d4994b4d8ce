// The OT extension's fixed-key AES PRG and tweakable correlation-robust hash (fixed-key-aes.ts)
// against a textbook reference written here block by block (one AES call per 16-byte block, tweaks
// built byte by byte), plus known answers of the reference itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { hash } from '../../src/tss/hash.ts';
import { SessionPermutation, seedPrg, tccrHash } from '../../src/tss/ot/fixed-key-aes.ts';

function pi(domain: string, sid: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', hash(domain, sid).subarray(0, 16), null).setAutoPadding(false);
  return new Uint8Array(c.update(block));
}

function tweak(n: number, m: number, h: number): Uint8Array {
  const t = new Uint8Array(16);
  const v = new DataView(t.buffer);
  v.setUint32(0, n, true);
  v.setUint32(4, m, true);
  v.setUint32(8, h, true);
  return t;
}

function xor(...xs: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(16);
  for (const x of xs) for (let i = 0; i < 16; i++) out[i] ^= x[i];
  return out;
}

/** Block m of G(seed) at position n: MMO(a ^ T(n, m, 0)) ^ MMO(b ^ T(n, m, 1)). */
function refPrg(domain: string, sid: Uint8Array, seed: Uint8Array, n: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let m = 0; m < bytes / 16; m++) {
    const x0 = xor(seed.subarray(0, 16), tweak(n, m, 0));
    const x1 = xor(seed.subarray(16, 32), tweak(n, m, 1));
    out.set(xor(pi(domain, sid, x0), x0, pi(domain, sid, x1), x1), 16 * m);
  }
  return out;
}

/** Block m of H(j, x): TCCR(a, T(j, m, 0)) ^ TCCR(b, T(j, m, 1)), TCCR(x, i) = pi(pi(x) ^ i) ^ pi(x). */
function refTccr(domain: string, sid: Uint8Array, column: Uint8Array, j: number, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const y0 = pi(domain, sid, column.subarray(0, 16));
  const y1 = pi(domain, sid, column.subarray(16, 32));
  for (let m = 0; m < bytes / 16; m++) {
    out.set(xor(pi(domain, sid, xor(y0, tweak(j, m, 0))), y0, pi(domain, sid, xor(y1, tweak(j, m, 1))), y1), 16 * m);
  }
  return out;
}

function fixed(label: string, n: number): Uint8Array {
  return new Uint8Array(createHash('shake256', { outputLength: n }).update(label).digest());
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('fixed-key AES PRG and correlation-robust hash', () => {
  it('seedPrg equals the reference for every seed of a session-sized batch', () => {
    const sid = randomBytes(32);
    const seeds = randomBytes(1024 * 32);
    const rows = new Uint8Array(seedPrg(new SessionPermutation('ss/prg-key', sid), seeds, 80).buffer);
    assert.equal(rows.length, 1024 * 80);
    for (const n of [0, 1, 15, 16, 511, 1023]) {
      assert.deepEqual(rows.subarray(80 * n, 80 * n + 80), refPrg('ss/prg-key', sid, seeds.subarray(32 * n, 32 * n + 32), n, 80));
    }
  });

  it('tccrHash equals the reference for every column of a session-sized batch', () => {
    const sid = randomBytes(32);
    const columns = randomBytes(512 * 32);
    const out = tccrHash(new SessionPermutation('ss/rand-key', sid), columns, 96);
    assert.equal(out.length, 512 * 96);
    for (const j of [0, 1, 100, 511]) {
      assert.deepEqual(out.subarray(96 * j, 96 * j + 96), refTccr('ss/rand-key', sid, columns.subarray(32 * j, 32 * j + 32), j, 96));
    }
  });

  it('accepts inputs at any byte offset and leaves them unchanged', () => {
    const sid = randomBytes(32);
    const backing = randomBytes(1 + 4 * 32);
    const seeds = backing.subarray(1);
    const before = Buffer.from(seeds);
    const pi = new SessionPermutation('ss/prg-key', sid);
    const rows = new Uint8Array(seedPrg(pi, seeds, 32).buffer);
    assert.deepEqual(rows.subarray(64, 96), refPrg('ss/prg-key', sid, seeds.subarray(64, 96), 2, 32));
    assert.deepEqual(tccrHash(pi, seeds, 16).subarray(16, 32), refTccr('ss/prg-key', sid, seeds.subarray(32, 64), 1, 16));
    assert.deepEqual(Buffer.from(seeds), before);
  });

  it('position, session and use all change the output', () => {
    const sid = fixed('sid', 32);
    const seed = fixed('seed', 32);
    const twice = new Uint8Array(64);
    twice.set(seed, 0);
    twice.set(seed, 32);
    const rows = new Uint8Array(seedPrg(new SessionPermutation('ss/prg-key', sid), twice, 32).buffer);
    assert.notDeepEqual(rows.subarray(0, 32), rows.subarray(32, 64));
    const other = new Uint8Array(seedPrg(new SessionPermutation('ss/prg-key', fixed('sid2', 32)), seed, 32).buffer);
    assert.notDeepEqual(other, rows.subarray(0, 32));
    const rand = tccrHash(new SessionPermutation('ss/rand-key', sid), twice, 32);
    assert.notDeepEqual(rand.subarray(0, 32), rand.subarray(32, 64));
    assert.notDeepEqual(tccrHash(new SessionPermutation('ss/prg-key', sid), seed, 32), rand.subarray(0, 32));
  });

  it('known answers (reference and optimised agree on them)', () => {
    const sid = fixed('kat/sid', 32);
    const seed = fixed('kat/seed', 32);
    const prg = refPrg('ss/prg-key', sid, seed, 0, 32);
    const tccr = refTccr('ss/rand-key', sid, seed, 0, 32);
    assert.equal(hex(prg), PRG_KAT);
    assert.equal(hex(tccr), TCCR_KAT);
    assert.equal(hex(new Uint8Array(seedPrg(new SessionPermutation('ss/prg-key', sid), seed, 32).buffer)), PRG_KAT);
    assert.equal(hex(tccrHash(new SessionPermutation('ss/rand-key', sid), seed, 32)), TCCR_KAT);
  });
});

const PRG_KAT = '6d725fabfda2cd9307717b047d142379b119be6ad52ad303afa9e042f0f813b3';
const TCCR_KAT = 'cf84cca638eb25ac0dbae45e19d8be08614502c51a988341bb6405d00d1b2a5f';
