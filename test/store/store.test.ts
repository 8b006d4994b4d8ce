// NodeStore against a real LevelDB in temp directories: reopen/secret/lock behaviour, at-rest
// encryption seen from the raw files, ciphertexts moved between locations, the presignature pool
// (single use, concurrency, refresh invalidation), the request journal, file permissions.
// Assumes: os.tmpdir() is a local filesystem with POSIX permissions; each test uses its own database.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { Level } from 'level';
import { NodeStore, StoreError, type JournalEntry } from '../../src/store/index.ts';
import { SECRET, filesContaining, hexId, keyMeta, rand, rawFiles, storeCode, tempRoot } from './helpers.ts';

const tmp = tempRoot();
after(() => tmp.cleanup());

const entry = (requestHash: string, extra: Partial<JournalEntry> = {}): JournalEntry => ({ method: 'dan_sign', requestHash, createdAt: Date.now(), ...extra });

async function withKey(path: string, keyId = 'key-1', share = rand(64)) {
  const store = await NodeStore.open({ path, secret: SECRET });
  const meta = keyMeta(keyId);
  await store.putKey({ keyId, meta, share });
  return { store, meta, share };
}

async function addN(store: NodeStore, keyId: string, n: number, signers = [0, 1]) {
  const added: { id: string; record: Uint8Array }[] = [];
  for (let i = 0; i < n; i++) {
    const p = { id: hexId(), signers, record: rand(246) };
    await store.addPresignature(keyId, p);
    added.push(p);
  }
  return added;
}

describe('open, reopen, secret, lock', () => {
  it('reopen with the same secret returns the same share bytes and presignatures', async () => {
    const path = tmp.db();
    const { store, meta, share } = await withKey(path);
    const pres = await addN(store, 'key-1', 3);
    await store.close();

    const again = await NodeStore.open({ path, secret: SECRET });
    const k = await again.getKey('key-1');
    assert.ok(k);
    assert.deepEqual(k.share, share);
    assert.deepEqual(k.meta, meta);
    assert.deepEqual(await again.listKeys(), [meta]);
    const listed = await again.listPresignatures('key-1');
    assert.deepEqual(listed.map((p) => p.id).sort(), pres.map((p) => p.id).sort());
    assert.ok(listed.every((p) => p.signers.join() === '0,1'));
    const r = await again.consumePresignature('key-1', pres[0].id, { requestId: 'req-1', entry: entry('h1') });
    assert.deepEqual(r, pres[0].record);
    await again.close();
  });

  it('a wrong secret is refused with STORE_WRONG_SECRET naming DAN_NODE_SECRET, and releases the lock', async () => {
    const path = tmp.db();
    const { store } = await withKey(path);
    await store.close();
    await assert.rejects(NodeStore.open({ path, secret: 'not the secret' }), (e: unknown) => {
      storeCode('STORE_WRONG_SECRET')(e);
      assert.match((e as StoreError).message, /DAN_NODE_SECRET/);
      assert.equal((e as StoreError).context.path, path);
      return true;
    });
    await assert.rejects(NodeStore.open({ path, secret: '' }), storeCode('STORE_WRONG_SECRET'));
    const ok = await NodeStore.open({ path, secret: SECRET }); // the failed open did not keep the lock
    assert.ok(await ok.getKey('key-1'));
    await ok.close();
  });

  it('a second open of an open database fails with STORE_LOCKED; works again after close', async () => {
    const path = tmp.db();
    const store = await NodeStore.open({ path, secret: SECRET });
    await assert.rejects(NodeStore.open({ path, secret: SECRET }), (e: unknown) => {
      storeCode('STORE_LOCKED')(e);
      assert.match((e as Error).message, /already open/);
      return true;
    });
    await store.close();
    const again = await NodeStore.open({ path, secret: SECRET });
    await again.close();
  });

  it('a database whose key-derivation record is gone is STORE_CORRUPT, not silently re-keyed', async () => {
    const path = tmp.db();
    const { store } = await withKey(path);
    await store.close();
    const raw = new Level<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await raw.del('!meta!kdf');
    await raw.close();
    await assert.rejects(NodeStore.open({ path, secret: SECRET }), storeCode('STORE_CORRUPT'));
  });

  it('operations after close are refused; close is idempotent', async () => {
    const { store } = await withKey(tmp.db());
    await store.close();
    await store.close();
    assert.equal(store.closed, true);
    await assert.rejects(async () => store.getKey('key-1'), /closed/);
  });

  it('directory mode 0700 and file modes 0600, after open and after close', async () => {
    const path = tmp.db();
    const { store } = await withKey(path);
    await addN(store, 'key-1', 5);
    const check = () => {
      assert.equal(statSync(path).mode & 0o777, 0o700);
      const files = rawFiles(path);
      assert.ok(files.length >= 4, `expected LevelDB files, got ${files.map((f) => f.name)}`);
      for (const f of files) assert.equal(statSync(`${path}/${f.name}`).mode & 0o777, 0o600, `${f.name} mode`);
    };
    check();
    await store.close();
    check();
  });
});

describe('at-rest encryption', () => {
  it('raw files hold no plaintext share or presignature record, but do hold the public meta', async () => {
    const path = tmp.db();
    const share = rand(64);
    const marker = 'ZQXJVW-public-meta-marker';
    const store = await NodeStore.open({ path, secret: SECRET });
    await store.putKey({ keyId: 'key-1', meta: keyMeta('key-1', { label: marker }), share });
    const [pre] = await addN(store, 'key-1', 1);
    await store.close();

    const scan = () => {
      assert.ok(filesContaining(path, marker).length > 0, 'sanity: the scan finds the public meta');
      assert.ok(filesContaining(path, 'key-1').length > 0, 'sanity: the scan finds the key id');
      assert.deepEqual(filesContaining(path, share), [], 'plaintext share found on disk');
      assert.deepEqual(filesContaining(path, share.subarray(0, 16)), [], 'part of the plaintext share found on disk');
      assert.deepEqual(filesContaining(path, pre.record), [], 'plaintext presignature record found on disk');
      assert.deepEqual(filesContaining(path, SECRET), [], 'the operator secret found on disk');
    };
    scan(); // data still in the write-ahead log
    // Reopening replays the log into a table file (.ldb, snappy-compressed): scan again.
    await (await NodeStore.open({ path, secret: SECRET })).close();
    assert.ok(rawFiles(path).some((f) => f.name.endsWith('.ldb')), 'expected a table file after reopen');
    scan();
  });

  it('a share ciphertext copied under another key id fails with STORE_CORRUPT', async () => {
    const path = tmp.db();
    const { store } = await withKey(path, 'key-a');
    await store.putKey({ keyId: 'key-b', meta: keyMeta('key-b'), share: rand(64) });
    await store.close();

    const raw = new Level<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
    const sealedA = await raw.get('!key-shares!key-a');
    assert.ok(sealedA);
    await raw.put('!key-shares!key-b', sealedA);
    await raw.close();

    const again = await NodeStore.open({ path, secret: SECRET });
    assert.ok(await again.getKey('key-a'));
    await assert.rejects(again.getKey('key-b'), (e: unknown) => {
      storeCode('STORE_CORRUPT')(e);
      assert.equal((e as StoreError).context.location, 'key-shares/key-b');
      return true;
    });
    await again.close();
  });

  it('a presignature ciphertext copied under another id fails with STORE_CORRUPT and nothing is consumed', async () => {
    const path = tmp.db();
    const { store } = await withKey(path);
    const [p1, p2] = await addN(store, 'key-1', 2);
    await store.close();

    const raw = new Level<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await raw.put(`!presigs!key-1/${p2.id}`, (await raw.get(`!presigs!key-1/${p1.id}`))!);
    await raw.close();

    const again = await NodeStore.open({ path, secret: SECRET });
    await assert.rejects(again.consumePresignature('key-1', p2.id, { requestId: 'r2', entry: entry('h2') }), storeCode('STORE_CORRUPT'));
    assert.equal(await again.getJournal('r2'), undefined, 'no journal entry for a failed consume');
    assert.equal(await again.countPresignatures('key-1'), 2, 'nothing deleted by a failed consume');
    assert.deepEqual(await again.consumePresignature('key-1', p1.id, { requestId: 'r1', entry: entry('h1') }), p1.record);
    // The damaged one can be dropped explicitly, and never comes back.
    assert.equal(await again.discardPresignature('key-1', p2.id), true);
    assert.equal(await again.discardPresignature('key-1', p2.id), false);
    assert.equal(await again.countPresignatures('key-1'), 0);
    await again.close();
  });
});

describe('keys', () => {
  it('putKey refuses to overwrite a key id (STORE_CONFLICT) and keeps the original share', async () => {
    const { store, share } = await withKey(tmp.db());
    await assert.rejects(store.putKey({ keyId: 'key-1', meta: keyMeta('key-1'), share: rand(64) }), storeCode('STORE_CONFLICT'));
    assert.deepEqual((await store.getKey('key-1'))!.share, share);
    assert.equal(await store.getKey('other'), undefined);
    await assert.rejects(store.putKey({ keyId: 'a/b', meta: keyMeta('a/b'), share: rand(8) }), TypeError);
    await assert.rejects(store.putKey({ keyId: 'k2', meta: keyMeta('k3'), share: rand(8) }), TypeError);
    await store.close();
  });

  it('concurrent putKey of one id: exactly one succeeds', async () => {
    const store = await NodeStore.open({ path: tmp.db(), secret: SECRET });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => store.putKey({ keyId: 'k', meta: keyMeta('k'), share: rand(32) })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') storeCode('STORE_CONFLICT')(r.reason);
    await store.close();
  });

  it('replaceShare deletes every presignature of that key, not of other keys, and survives reopen', async () => {
    const path = tmp.db();
    // 'key' is a prefix of the other ids: the range scan must not reach into them.
    const { store, meta } = await withKey(path, 'key');
    for (const other of ['key2', 'key.b', 'ke']) await store.putKey({ keyId: other, meta: keyMeta(other), share: rand(64) });
    const mine = await addN(store, 'key', 4);
    await addN(store, 'key', 2, [0, 2]);
    await addN(store, 'key2', 3);
    await addN(store, 'key.b', 2);
    await addN(store, 'ke', 1);

    const fresh = rand(64);
    await store.replaceShare('key', fresh, { refreshedAt: 42 });
    assert.equal(await store.countPresignatures('key'), 0);
    assert.equal(await store.countPresignatures('key2'), 3);
    assert.equal(await store.countPresignatures('key.b'), 2);
    assert.equal(await store.countPresignatures('ke'), 1);
    const k = await store.getKey('key');
    assert.deepEqual(k!.share, fresh);
    assert.deepEqual(k!.meta, { ...meta, refreshedAt: 42 });
    // A presignature made for the old share can never come back, nor be consumed.
    await assert.rejects(store.addPresignature('key', { id: mine[0].id, signers: [0, 1], record: mine[0].record }), storeCode('STORE_CONFLICT'));
    assert.equal(await store.consumePresignature('key', mine[1].id, { requestId: 'r', entry: entry('h') }), undefined);
    await assert.rejects(store.replaceShare('nope', fresh), storeCode('STORE_NOT_FOUND'));
    await store.close();

    const again = await NodeStore.open({ path, secret: SECRET });
    assert.equal(await again.countPresignatures('key'), 0);
    assert.equal(await again.countPresignatures('key2'), 3);
    assert.deepEqual((await again.getKey('key'))!.share, fresh);
    await again.close();
  });
});

describe('presignature pool', () => {
  it('lists and counts by key and signer set without decrypting', async () => {
    const { store } = await withKey(tmp.db());
    const a = await addN(store, 'key-1', 3, [1, 0]);
    await addN(store, 'key-1', 2, [0, 2]);
    const listed = await store.listPresignatures('key-1');
    assert.equal(listed.length, 5);
    assert.deepEqual(listed.find((p) => p.id === a[0].id)!.signers, [0, 1], 'signers are kept sorted');
    assert.equal(await store.countPresignatures('key-1'), 5);
    assert.equal(await store.countPresignatures('key-1', [0, 1]), 3);
    assert.equal(await store.countPresignatures('key-1', [2, 0]), 2);
    assert.equal(await store.countPresignatures('key-1', [1, 2]), 0);
    assert.equal(await store.countPresignatures('unknown-key'), 0);
    await assert.rejects(store.addPresignature('unknown-key', { id: hexId(), signers: [0, 1], record: rand(8) }), storeCode('STORE_NOT_FOUND'));
    await assert.rejects(store.addPresignature('key-1', { id: a[0].id, signers: [0, 1], record: rand(8) }), storeCode('STORE_CONFLICT'));
    await assert.rejects(store.addPresignature('key-1', { id: 'ABCD', signers: [0, 1], record: rand(8) }), TypeError);
    await assert.rejects(store.addPresignature('key-1', { id: 'abcd', signers: [0, 0], record: rand(8) }), TypeError);
    await store.close();
  });

  it('consumePresignature returns the record once, then undefined; the journal entry exists after', async () => {
    const { store } = await withKey(tmp.db());
    const [p, other] = await addN(store, 'key-1', 2);
    const digest = 'ab'.repeat(32);
    const r = await store.consumePresignature('key-1', p.id, { requestId: 'req-1', entry: entry('hash-1', { digest }) });
    assert.deepEqual(r, p.record);
    const j = await store.getJournal('req-1');
    assert.ok(j);
    assert.equal(j.presignatureId, p.id);
    assert.equal(j.digest, digest);
    assert.equal(j.requestHash, 'hash-1');
    assert.equal(await store.consumePresignature('key-1', p.id, { requestId: 'req-2', entry: entry('hash-2') }), undefined);
    assert.equal(await store.getJournal('req-2'), undefined, 'nothing written when the presignature is absent');
    assert.equal(await store.consumePresignature('key-1', hexId(), { requestId: 'req-3', entry: entry('hash-3') }), undefined);
    assert.deepEqual((await store.listPresignatures('key-1')).map((x) => x.id), [other.id]);
    // A journalled request id cannot consume a second presignature.
    await assert.rejects(store.consumePresignature('key-1', other.id, { requestId: 'req-1', entry: entry('hash-1') }), storeCode('STORE_CONFLICT'));
    assert.equal(await store.countPresignatures('key-1'), 1);
    // A consumed id can never be added again (same record or not).
    await assert.rejects(store.addPresignature('key-1', { id: p.id, signers: [0, 1], record: p.record }), (e: unknown) => {
      storeCode('STORE_CONFLICT')(e);
      assert.equal((e as StoreError).context.reason, 'consumed');
      return true;
    });
    await store.close();
  });

  it('20 concurrent consumes of one presignature: exactly one gets the record', async () => {
    const { store } = await withKey(tmp.db());
    const [p] = await addN(store, 'key-1', 1);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.consumePresignature('key-1', p.id, { requestId: `req-${i}`, entry: entry(`hash-${i}`) })),
    );
    const winners = results.flatMap((r, i) => (r === undefined ? [] : [i]));
    assert.equal(winners.length, 1);
    assert.deepEqual(results[winners[0]], p.record);
    const journalled: string[] = [];
    for await (const [requestId, e] of store.journalEntries()) if (e.presignatureId === p.id) journalled.push(requestId);
    assert.deepEqual(journalled, [`req-${winners[0]}`]);
    assert.equal(await store.countPresignatures('key-1'), 0);
    await store.close();
  });

  it('concurrent consumes of different presignatures all succeed', async () => {
    const { store } = await withKey(tmp.db());
    const pres = await addN(store, 'key-1', 30);
    const results = await Promise.all(pres.map((p, i) => store.consumePresignature('key-1', p.id, { requestId: `r${i}`, entry: entry(`h${i}`) })));
    results.forEach((r, i) => assert.deepEqual(r, pres[i].record));
    assert.equal(await store.countPresignatures('key-1'), 0);
    await store.close();
  });
});

describe('journal', () => {
  it('putJournal: new, same hash is a no-op, different hash conflicts', async () => {
    const store = await NodeStore.open({ path: tmp.db(), secret: SECRET });
    const first = entry('h1', { createdAt: 1 });
    await store.putJournal('req', first);
    assert.deepEqual(await store.getJournal('req'), first);
    await store.putJournal('req', entry('h1', { createdAt: 2, method: 'other', result: 'x' }));
    assert.deepEqual(await store.getJournal('req'), first, 'same hash: nothing changes');
    await assert.rejects(store.putJournal('req', entry('h2')), (e: unknown) => {
      storeCode('STORE_CONFLICT')(e);
      assert.equal((e as StoreError).context.requestId, 'req');
      return true;
    });
    assert.deepEqual(await store.getJournal('req'), first);
    assert.equal(await store.getJournal('missing'), undefined);
    await assert.rejects(store.putJournal('x', { method: 'm' } as JournalEntry), TypeError);

    await store.putJournal('a-req', entry('h3'));
    const all: string[] = [];
    for await (const [id] of store.journalEntries()) all.push(id);
    assert.deepEqual(all, ['a-req', 'req']);
    await store.close();
  });

  it('completeJournal records a result once, after consume; never replaces it', async () => {
    const path = tmp.db();
    const { store } = await withKey(path);
    const [p] = await addN(store, 'key-1', 1);
    await store.consumePresignature('key-1', p.id, { requestId: 'sign-1', entry: entry('h1') });
    await store.completeJournal('sign-1', { partial: 'aa' });
    await store.completeJournal('sign-1', { partial: 'aa' }); // retry with the same result: fine
    await assert.rejects(store.completeJournal('sign-1', { partial: 'bb' }), storeCode('STORE_CONFLICT'));
    await assert.rejects(store.completeJournal('nope', { partial: 'aa' }), storeCode('STORE_NOT_FOUND'));
    await store.close();
    const again = await NodeStore.open({ path, secret: SECRET });
    const j = await again.getJournal('sign-1');
    assert.deepEqual(j?.result, { partial: 'aa' });
    assert.equal(j?.presignatureId, p.id);
    await again.close();
  });

  it('concurrent putJournal with different hashes: exactly one wins', async () => {
    const store = await NodeStore.open({ path: tmp.db(), secret: SECRET });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.putJournal('req', entry(`h${i}`))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    await store.close();
  });
});

describe('refresh: pending shares and generations', () => {
  it('a pending share is kept apart until its commit, which switches the share and invalidates the pool in one step', async () => {
    const path = tmp.db();
    const { store, share } = await withKey(path, 'key-r', rand(64));
    await store.updateKeyMeta('key-r', (m) => ({ ...m, generation: 'aa' }));
    const pooled = await addN(store, 'key-r', 2);
    const fresh = rand(64);
    await store.putPendingShare('key-r', 'bb', fresh);
    assert.equal(await store.pendingGeneration('key-r'), 'bb');
    assert.deepEqual((await store.getKey('key-r'))?.share, share, 'the share in use is unchanged');
    await assert.rejects(store.commitPendingShare('key-r', 'cc'), storeCode('STORE_NOT_FOUND'));
    await store.commitPendingShare('key-r', 'bb', { generation: 'bb', refreshRequired: [] });
    const k = await store.getKey('key-r');
    assert.deepEqual(k?.share, fresh);
    assert.equal(k?.meta.generation, 'bb');
    assert.equal(await store.pendingGeneration('key-r'), undefined);
    assert.deepEqual(await store.listPresignatures('key-r'), []);
    await assert.rejects(store.addPresignature('key-r', { ...pooled[0], signers: [0, 1] }), (e: unknown) => storeCode('STORE_CONFLICT')(e) && (e as StoreError).context.reason === 'refresh');
    // A presignature made with the old generation is refused; one of the new generation is pooled with its public values.
    await assert.rejects(store.addPresignature('key-r', { id: hexId(), signers: [0, 1], record: rand(8), generation: 'aa' }), (e: unknown) => (e as StoreError).context.reason === 'generation');
    const values = { phi: '02'.padEnd(66, '1'), s1: '03'.padEnd(66, '2'), b: '02'.padEnd(66, '3') };
    const id = hexId();
    await store.addPresignature('key-r', { id, signers: [0, 1], record: rand(8), generation: 'bb', publicValues: values });
    assert.deepEqual(await store.listPresignatures('key-r'), [{ id, signers: [0, 1], publicValues: values }]);
    await store.close();
  });
});

describe('peer records', () => {
  it('one record per peer and decider; a ban is not weakened; lifting removes every record on the peer', async () => {
    const store = await NodeStore.open({ path: tmp.db(), secret: SECRET });
    const rec = (kind: 'banned' | 'suspended' | 'blamed', by: string, check: string) => ({ peer: 'peer-x', kind, by, since: Date.now(), check, reason: check });
    assert.equal((await store.putPeerRecord(rec('banned', 'me', 'OT_CHECK_FAILED'))).check, 'OT_CHECK_FAILED');
    assert.equal((await store.putPeerRecord(rec('suspended', 'me', 'ABORT_LIMIT'))).check, 'OT_CHECK_FAILED', 'a ban stays a ban');
    await store.putPeerRecord(rec('blamed', 'other', 'INVALID_PROOF'));
    assert.deepEqual((await store.listPeerRecords()).map((r) => [r.by, r.kind]).sort(), [['me', 'banned'], ['other', 'blamed']]);
    await assert.rejects(store.putPeerRecord({ ...rec('banned', 'me', 'x'), peer: 'a/b' }), /invalid peer id/);
    const { lifted, keys } = await store.liftPeerRecord('peer-x');
    assert.equal(lifted.length, 2);
    assert.deepEqual(keys, []);
    assert.deepEqual(await store.listPeerRecords(), []);
    await store.close();
  });
});
