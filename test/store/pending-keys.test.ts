// Pending keys in NodeStore against a real LevelDB: a DKG result stored pending is no key (not
// listed, not readable, no presignatures) until it is committed; commit and discard name the run;
// both survive a reopen; the share stays encrypted under its own location.
// Assumes: os.tmpdir() is a local filesystem; each test uses its own database.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeStore } from '../../src/store/index.ts';
import { SECRET, filesContaining, hexId, keyMeta, rand, storeCode, tempRoot } from './helpers.ts';

const tmp = tempRoot();
after(() => tmp.cleanup());

const RUN = 'aa'.repeat(32);
const OTHER_RUN = 'bb'.repeat(32);

async function withPending(path: string, keyId = 'key-p') {
  const store = await NodeStore.open({ path, secret: SECRET });
  const meta = keyMeta(keyId, { keyGenSession: RUN });
  const share = rand(64);
  await store.putPendingKey({ keyId, meta, share }, RUN);
  return { store, meta, share };
}

describe('pending keys', () => {
  it('a pending key is not a key: not listed, not readable, no presignatures, no second key of its id', async () => {
    const { store, meta } = await withPending(tmp.db());
    try {
      assert.equal(await store.getKey('key-p'), undefined);
      assert.deepEqual(await store.listKeys(), []);
      await assert.rejects(store.addPresignature('key-p', { id: hexId(), signers: [0, 1], record: rand(32) }), storeCode('STORE_NOT_FOUND'));
      await assert.rejects(store.putKey({ keyId: 'key-p', meta: keyMeta('key-p'), share: rand(64) }), storeCode('STORE_CONFLICT'));
      const pending = await store.getPendingKey('key-p');
      assert.ok(pending);
      assert.equal(pending.session, RUN);
      assert.deepEqual(pending.meta, meta);
      assert.ok(Date.now() - pending.since < 60_000);
      assert.deepEqual((await store.listPendingKeys()).map((p) => p.keyId), ['key-p']);
    } finally {
      await store.close();
    }
  });

  it('an earlier run pending blocks a new one (STORE_CONFLICT) until it is settled', async () => {
    const { store } = await withPending(tmp.db());
    try {
      await assert.rejects(store.putPendingKey({ keyId: 'key-p', meta: keyMeta('key-p'), share: rand(64) }, OTHER_RUN), storeCode('STORE_CONFLICT'));
      assert.equal(await store.discardPendingKey('key-p', OTHER_RUN), false, 'a discard names the run');
      assert.equal((await store.getPendingKey('key-p'))?.session, RUN);
      assert.equal(await store.discardPendingKey('key-p', RUN), true);
      const share = rand(64);
      await store.putPendingKey({ keyId: 'key-p', meta: keyMeta('key-p'), share }, OTHER_RUN);
      assert.equal((await store.getPendingKey('key-p'))?.session, OTHER_RUN);
    } finally {
      await store.close();
    }
  });

  it('commit makes it a key with its share, once; it survives a reopen', async () => {
    const path = tmp.db();
    const { store, meta, share } = await withPending(path);
    await assert.rejects(store.commitPendingKey('key-p', OTHER_RUN), storeCode('STORE_NOT_FOUND'));
    const acks = { 'node-a': 'aa', 'node-b': 'bb', 'node-c': 'cc' };
    const committed = await store.commitPendingKey('key-p', RUN, { keyGenAcks: acks });
    assert.deepEqual(committed, { ...meta, keyGenAcks: acks });
    await assert.rejects(store.commitPendingKey('key-p', RUN), storeCode('STORE_NOT_FOUND'), 'nothing pending any more');
    await store.putPendingKey({ keyId: 'key-q', meta: keyMeta('key-q'), share: rand(64) }, RUN); // another key, still pending
    await assert.rejects(store.putPendingKey({ keyId: 'key-p', meta: keyMeta('key-p'), share: rand(64) }, OTHER_RUN), storeCode('STORE_CONFLICT'), 'a committed key is never pending again');
    await store.close();

    const again = await NodeStore.open({ path, secret: SECRET });
    try {
      const k = await again.getKey('key-p');
      assert.ok(k);
      assert.deepEqual(k.share, share);
      assert.deepEqual(k.meta, committed);
      assert.deepEqual((await again.listKeys()).map((m) => m.keyId), ['key-p']);
      assert.equal(await again.getPendingKey('key-p'), undefined);
      await again.addPresignature('key-p', { id: hexId(), signers: [0, 1], record: rand(32) });
      assert.deepEqual((await again.listPendingKeys()).map((p) => p.keyId), ['key-q']);
    } finally {
      await again.close();
    }
  });

  it('a pending key and a discard both survive a reopen', async () => {
    const path = tmp.db();
    const { store, meta } = await withPending(path);
    await store.putPendingKey({ keyId: 'key-d', meta: keyMeta('key-d'), share: rand(64) }, OTHER_RUN);
    assert.equal(await store.discardPendingKey('key-d', OTHER_RUN), true);
    await store.close();

    const again = await NodeStore.open({ path, secret: SECRET });
    try {
      assert.deepEqual((await again.listPendingKeys()).map((p) => [p.keyId, p.session]), [['key-p', RUN]]);
      assert.deepEqual((await again.getPendingKey('key-p'))?.meta, meta);
      assert.equal(await again.getPendingKey('key-d'), undefined);
      assert.equal(await again.getKey('key-p'), undefined);
    } finally {
      await again.close();
    }
  });

  it('the pending share is encrypted at rest', async () => {
    const path = tmp.db();
    const share = rand(64);
    const store = await NodeStore.open({ path, secret: SECRET });
    await store.putPendingKey({ keyId: 'key-e', meta: keyMeta('key-e'), share }, RUN);
    await store.close();
    assert.deepEqual(filesContaining(path, share), []);
  });

  it('concurrent commits of one run: the key is committed once, the other gets STORE_NOT_FOUND', async () => {
    const { store, share } = await withPending(tmp.db());
    try {
      const results = await Promise.allSettled([store.commitPendingKey('key-p', RUN), store.commitPendingKey('key-p', RUN), store.discardPendingKey('key-p', RUN)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled' && typeof r.value === 'object').length, 1);
      assert.deepEqual((await store.getKey('key-p'))?.share, share);
    } finally {
      await store.close();
    }
  });
});
