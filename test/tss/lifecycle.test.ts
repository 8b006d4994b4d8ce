// Key-share and presignature lifecycle: serialisation, single use, refresh invalidating old
// presignatures, and binding of presignatures to their key share.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { Presignature, TssError, decodeKeyShare, encodeKeyShare, combineSignature } from '../../src/tss/index.ts';
import { dkg, presign, refresh, sign } from '../helpers/tss.ts';

const digest = () => new Uint8Array(randomBytes(32));
const tssCode = (code: string) => (e: unknown) => e instanceof TssError && e.code === code;

describe('lifecycle', () => {
  const shares = dkg(2, 3);

  it('a key share survives encode/decode and still signs', () => {
    const restored = shares.map((s) => decodeKeyShare(encodeKeyShare(s)));
    assert.deepEqual(restored[1].publicKey, shares[1].publicKey);
    assert.equal(restored[1].share, shares[1].share);
    assert.deepEqual(restored[1].peers.get(0)!.otLeaves, shares[1].peers.get(0)!.otLeaves);
    const d = digest();
    const sig = sign(restored, presign(restored, [1, 2]), d);
    assert.ok(secp256k1.verify(sig.signature.subarray(0, 64), d, shares[0].publicKey, { prehash: false }));
  });

  it('a corrupted key share record is refused', () => {
    const bytes = encodeKeyShare(shares[0]);
    assert.throws(() => decodeKeyShare(bytes.subarray(0, bytes.length - 10)), tssCode('MALFORMED_MESSAGE'));
  });

  it('a presignature signs once; the second use is refused', () => {
    const pres = presign(shares, [0, 1]);
    const p0 = pres.get(0)!;
    p0.sign(shares[0], digest());
    assert.equal(p0.consumed, true);
    assert.throws(() => p0.sign(shares[0], digest()), tssCode('PRESIGNATURE_CONSUMED'));
    assert.throws(() => p0.toRecord(), tssCode('PRESIGNATURE_CONSUMED'));
  });

  it('a presignature record round-trips and keeps its binding', () => {
    const pres = presign(shares, [0, 2]);
    const restored = new Map([...pres].map(([k, p]) => [k, Presignature.fromRecord(p.toRecord())]));
    assert.deepEqual(restored.get(0)!.id, pres.get(0)!.id);
    assert.deepEqual(restored.get(0)!.signers, [0, 2]);
    const d = digest();
    const sig = sign(shares, restored, d);
    assert.ok(secp256k1.verify(sig.signature.subarray(0, 64), d, shares[0].publicKey, { prehash: false }));
  });

  it('a presignature only signs with the key share of its own party', () => {
    const pres = presign(shares, [0, 1]);
    assert.throws(() => pres.get(0)!.sign(shares[1], digest()), tssCode('PRESIGNATURE_STALE'));
  });

  it('partials for different digests do not combine into a signature', () => {
    const pres = presign(shares, [1, 2]);
    const partials = [pres.get(1)!.sign(shares[1], digest()), pres.get(2)!.sign(shares[2], digest())];
    assert.throws(() => combineSignature({ publicKey: shares[0].publicKey, digest: digest(), partials }), tssCode('INVALID_SIGNATURE'));
  });

  it('refresh keeps the public key, changes every secret, and invalidates older presignatures', () => {
    const before = presign(shares, [0, 1]);
    const fresh = refresh(shares);
    for (const [i, s] of fresh.entries()) {
      assert.deepEqual(s.publicKey, shares[i].publicKey);
      assert.notEqual(s.share, shares[i].share);
      assert.notDeepEqual(s.generation, shares[i].generation);
      assert.notEqual(s.xs[i], shares[i].xs[i]);
      assert.notDeepEqual(s.peers.get((i + 1) % 3)!.otLeaves, shares[i].peers.get((i + 1) % 3)!.otLeaves);
    }
    // Old presignatures are refused by the new shares...
    assert.throws(() => before.get(0)!.sign(fresh[0], digest()), tssCode('PRESIGNATURE_STALE'));
    // ...and presignatures made after the refresh sign, with every pair of signers.
    for (const signers of [[0, 1], [0, 2], [1, 2]]) {
      const d = digest();
      const sig = sign(fresh, presign(fresh, signers), d);
      assert.ok(secp256k1.verify(sig.signature.subarray(0, 64), d, shares[0].publicKey, { prehash: false }));
    }
  });

  it('old and new shares cannot be mixed in one presign session', () => {
    const fresh = refresh(shares);
    assert.throws(() => presign([shares[0], fresh[1], fresh[2]], [0, 1]));
  });
});
