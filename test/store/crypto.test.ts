// At-rest encryption primitives of the store: scrypt key derivation, sealing bound to the entry's
// location (AAD), tamper detection, the wrong-secret check value; and the keyed locks that
// serialise read-check-write sequences.
// Assumes: nothing beyond node:crypto and @noble/ciphers; no database involved.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KDF, NONCE_LENGTH, Sealer, TAG_LENGTH, deriveKey, newSalt } from '../../src/store/crypto.ts';
import { KeyedLocks } from '../../src/store/locks.ts';
import { rand, storeCode } from './helpers.ts';

describe('store crypto', () => {
  it('scrypt: same secret and salt give the same key; another salt or secret gives another', async () => {
    const salt = newSalt();
    assert.equal(salt.length, KDF.saltLength);
    const [a, b, c, d] = await Promise.all([deriveKey('s', salt), deriveKey(new TextEncoder().encode('s'), salt), deriveKey('s', newSalt()), deriveKey('t', salt)]);
    assert.equal(a.length, 32);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.notDeepEqual(a, d);
  });

  it('seal/open round-trips; fresh nonce per seal; bound to the location; tampering detected', () => {
    const sealer = new Sealer(rand(32));
    const pt = rand(100);
    const s1 = sealer.seal('presigs/k/aa', pt);
    const s2 = sealer.seal('presigs/k/aa', pt);
    assert.equal(s1.length, NONCE_LENGTH + pt.length + TAG_LENGTH);
    assert.notDeepEqual(s1.subarray(0, NONCE_LENGTH), s2.subarray(0, NONCE_LENGTH));
    assert.deepEqual(sealer.open('presigs/k/aa', s1), pt);
    assert.deepEqual(sealer.open('presigs/k/aa', s2), pt);
    assert.throws(() => sealer.open('presigs/k/ab', s1), storeCode('STORE_CORRUPT'));
    assert.throws(() => sealer.open('key-shares/k', s1), storeCode('STORE_CORRUPT'));
    for (const i of [0, NONCE_LENGTH, s1.length - 1]) {
      const bad = s1.slice();
      bad[i] ^= 1;
      assert.throws(() => sealer.open('presigs/k/aa', bad), storeCode('STORE_CORRUPT'));
    }
    assert.throws(() => sealer.open('presigs/k/aa', s1.subarray(0, 30)), storeCode('STORE_CORRUPT'));
    assert.throws(() => new Sealer(rand(31)), TypeError);
  });

  it('the check value tells the right key from a wrong one; wipe() disables the key', () => {
    const key = rand(32);
    const sealer = new Sealer(key.slice());
    const check = sealer.makeCheck();
    assert.equal(new Sealer(key.slice()).verifyCheck(check), true);
    assert.equal(new Sealer(rand(32)).verifyCheck(check), false);
    sealer.wipe();
    assert.equal(sealer.verifyCheck(check), false);
  });
});

describe('keyed locks', () => {
  const tick = () => new Promise((r) => setImmediate(r));

  it('exclusive holders of one name never overlap; other names run in parallel', async () => {
    const locks = new KeyedLocks();
    let inside = 0;
    let maxInside = 0;
    let parallel = 0;
    const body = async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await tick();
      inside--;
    };
    await Promise.all([
      ...Array.from({ length: 10 }, () => locks.withLocks([{ name: 'a', mode: 'exclusive' }], body)),
      locks.withLocks([{ name: 'b', mode: 'exclusive' }], async () => void (parallel = inside)),
    ]);
    assert.equal(maxInside, 1);
    assert.equal(parallel, 1, 'b ran while an a-holder was inside');
    assert.equal(locks.size, 0, 'idle locks are forgotten');
  });

  it('shared holders overlap; an exclusive waits for them and blocks later shared ones (FIFO)', async () => {
    const locks = new KeyedLocks();
    const log: string[] = [];
    const hold = (tag: string, mode: 'shared' | 'exclusive') =>
      locks.withLocks([{ name: 'k', mode }], async () => {
        log.push(`+${tag}`);
        await tick();
        await tick();
        log.push(`-${tag}`);
      });
    await Promise.all([hold('s1', 'shared'), hold('s2', 'shared'), hold('x', 'exclusive'), hold('s3', 'shared')]);
    assert.deepEqual(log.slice(0, 2), ['+s1', '+s2']);
    assert.ok(log.indexOf('+x') > log.indexOf('-s1') && log.indexOf('+x') > log.indexOf('-s2'));
    assert.ok(log.indexOf('+s3') > log.indexOf('-x'));
  });

  it('locks are released when the body throws', async () => {
    const locks = new KeyedLocks();
    await assert.rejects(locks.withLocks([{ name: 'k', mode: 'exclusive' }], async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await locks.withLocks([{ name: 'k', mode: 'exclusive' }], async () => 7), 7);
    assert.equal(locks.size, 0);
  });
});
