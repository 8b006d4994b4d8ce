// The store with real engine data: a DKLs23 key share (encodeKeyShare) and presignature records
// (Presignature.toRecord) go through encrypted storage and a reopen, then still sign a digest that
// verifies under the key's public key.
// Assumes: the engine (src/tss) works; a 2-of-3 DKG in this process takes a few seconds.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { Presignature, combineSignature, decodeKeyShare, encodeKeyShare } from '../../src/tss/index.ts';
import { NodeStore } from '../../src/store/index.ts';
import { dkg, presign } from '../helpers/tss.ts';
import { SECRET, keyMeta, tempRoot } from './helpers.ts';

const tmp = tempRoot();
after(() => tmp.cleanup());
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('store with engine data', () => {
  it('a stored key share and presignature sign after a reopen', async () => {
    const shares = dkg(2, 3);
    const pres = presign(shares, [0, 1]);
    const paths = [tmp.db('party0'), tmp.db('party1')];
    const keyId = 'engine-key';

    // Each party stores its own share and presignature in its own database.
    for (const party of [0, 1]) {
      const store = await NodeStore.open({ path: paths[party], secret: `${SECRET}-${party}` });
      await store.putKey({ keyId, meta: keyMeta(keyId, { publicKey: hex(shares[party].publicKey), party }), share: encodeKeyShare(shares[party]) });
      const p = pres.get(party)!;
      await store.addPresignature(keyId, { id: hex(p.id), signers: [...p.signers], record: p.toRecord() });
      await store.close();
    }

    const digest = new Uint8Array(randomBytes(32));
    const partials = [];
    for (const party of [0, 1]) {
      const store = await NodeStore.open({ path: paths[party], secret: `${SECRET}-${party}` });
      const key = await store.getKey(keyId);
      assert.ok(key);
      const share = decodeKeyShare(key.share);
      const [info] = await store.listPresignatures(keyId);
      assert.deepEqual(info.signers, [0, 1]);
      const record = await store.consumePresignature(keyId, info.id, { requestId: `req-${party}`, entry: { method: 'dan_sign', requestHash: 'h', createdAt: Date.now(), digest: hex(digest) } });
      assert.ok(record);
      partials.push(Presignature.fromRecord(record).sign(share, digest));
      assert.equal(await store.consumePresignature(keyId, info.id, { requestId: `again-${party}`, entry: { method: 'dan_sign', requestHash: 'h2', createdAt: 0 } }), undefined);
      await store.close();
    }
    const sig = combineSignature({ publicKey: shares[0].publicKey, digest, partials });
    assert.ok(secp256k1.verify(sig.signature.subarray(0, 64), digest, shares[0].publicKey, { prehash: false }));
  });
});
