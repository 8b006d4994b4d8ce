// NodeStore's derived-key records and bound presignatures, against a real LevelDB:
// - putDerivedKey stores a record only (idempotent; refused without its master or over another
//   key); getKey refuses a derived key (it has no share), getKeyMeta reads it; listKeys lists it;
// - bindPresignature takes a presignature out of the pool once (journal, request marker,
//   tombstone: it can never be added again) and keeps its record, sealed, for useBound, which
//   gives the record once and journals the result; a refresh of the master deletes bound records;
// - a bound record survives a reopen (nothing lost on a crash between bind and finish).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeStore, type JournalEntry } from '../../src/store/index.ts';
import { SECRET, hexId, keyMeta, rand, storeCode, tempRoot } from './helpers.ts';

const tmp = tempRoot();
after(() => tmp.cleanup());

const entry = (requestHash: string): JournalEntry => ({ method: 'sign-bind', requestHash, createdAt: Date.now(), digest: 'aa' });
const derived = (keyId: string, master = 'master-1') => ({ ...keyMeta(keyId), publicKey: `02${'11'.repeat(32)}`, derivation: { master, tweak: '22'.repeat(32) } });

async function withMaster(path: string) {
  const store = await NodeStore.open({ path, secret: SECRET });
  await store.putKey({ keyId: 'master-1', meta: keyMeta('master-1'), share: rand(64) });
  return store;
}

describe('derived key records', () => {
  it('stores a record without a share; idempotent; refused without a master or over another key', async () => {
    const store = await withMaster(tmp.db());
    const d = derived('key-d');
    assert.deepEqual(await store.putDerivedKey(d), d);
    // The same key again (a retry, made a moment later): the record stored first is kept and returned.
    assert.deepEqual(await store.putDerivedKey({ ...d, createdAt: d.createdAt + 5 }), d);
    assert.deepEqual(await store.getKeyMeta('key-d'), d);
    await assert.rejects(store.getKey('key-d'), storeCode('STORE_CONFLICT'));
    assert.deepEqual((await store.listKeys()).map((k) => k.keyId), ['key-d', 'master-1']);
    await assert.rejects(store.putDerivedKey({ ...d, publicKey: `03${'11'.repeat(32)}` }), storeCode('STORE_CONFLICT'));
    await assert.rejects(store.putDerivedKey(derived('key-e', 'no-master')), storeCode('STORE_NOT_FOUND'));
    await assert.rejects(store.putDerivedKey(derived('key-f', 'key-d')), storeCode('STORE_NOT_FOUND'), 'a derived key is no master');
    await store.close();
  });
});

describe('a reshare: derived records copied in pages, a key removed', () => {
  it('listDerivedKeys pages one master\'s records in id order; putDerivedKeys adds what is missing, under a key or pending master', async () => {
    const store = await withMaster(tmp.db());
    await store.putKey({ keyId: 'master-2', meta: keyMeta('master-2'), share: rand(64) });
    for (const id of ['d-3', 'd-1', 'd-5']) await store.putDerivedKey(derived(id));
    await store.putDerivedKey(derived('d-2', 'master-2'));
    const first = await store.listDerivedKeys('master-1', undefined, 2);
    assert.deepEqual([first.records.map((r) => r.keyId), first.more], [['d-1', 'd-3'], true]);
    const second = await store.listDerivedKeys('master-1', 'd-3', 2);
    assert.deepEqual([second.records.map((r) => r.keyId), second.more], [['d-5'], false]);

    // A joiner: its master is pending (not a key yet); records already there are left as they are.
    await store.putPendingKey({ keyId: 'master-3', meta: keyMeta('master-3'), share: rand(64) }, 'reshare:aa');
    const kept = derived('d-7', 'master-3');
    assert.equal(await store.putDerivedKeys('master-3', [kept, derived('d-8', 'master-3')]), 2);
    assert.equal(await store.putDerivedKeys('master-3', [{ ...kept, createdAt: 1 }, derived('d-9', 'master-3')]), 1);
    assert.deepEqual(await store.getKeyMeta('d-7'), kept);
    await assert.rejects(store.putDerivedKeys('no-master', [derived('d-x', 'no-master')]), storeCode('STORE_NOT_FOUND'));
    await assert.rejects(store.putDerivedKeys('master-3', [derived('d-y', 'master-1')]), TypeError, 'a record of another master');
    await store.close();
  });

  it('removeKey deletes the share, record, pending share and presignatures (tombstoned: never added again)', async () => {
    const store = await withMaster(tmp.db());
    const p = { id: hexId(), signers: [0, 1], record: rand(200) };
    await store.addPresignature('master-1', p);
    await store.putPendingShare('master-1', 'ab'.repeat(32), rand(64));
    assert.equal(await store.removeKey('master-1'), true);
    assert.equal(await store.getKeyMeta('master-1'), undefined);
    assert.equal(await store.pendingGeneration('master-1').catch(() => undefined), undefined);
    assert.equal(await store.removeKey('master-1'), false);
    await store.putKey({ keyId: 'master-1', meta: keyMeta('master-1'), share: rand(64) });
    await assert.rejects(store.addPresignature('master-1', p), (e: unknown) => storeCode('STORE_CONFLICT')(e) && (e as { context: { reason?: string } }).context.reason === 'left');
    await store.close();
  });
});

describe('bound presignatures', () => {
  it('bind once, use once; tombstoned; a refresh deletes what is still bound', async () => {
    const path = tmp.db();
    const store = await withMaster(path);
    const [a, b] = [{ id: hexId(), signers: [0, 1], record: rand(200) }, { id: hexId(), signers: [0, 1], record: rand(200) }];
    await store.addPresignature('master-1', a);
    await store.addPresignature('master-1', b);
    const bindA = { requestId: `sign-bind:master-1:${a.id}`, entry: entry('h1') };
    const seen: Uint8Array[] = [];
    assert.deepEqual(await store.bindPresignature('master-1', a.id, bindA, (r) => (seen.push(r), { seed: 's' })), { seed: 's' });
    assert.deepEqual(seen[0], a.record);
    assert.equal(await store.bindPresignature('master-1', a.id, { requestId: 'other', entry: entry('h2') }, () => ({ seed: 'x' })), undefined, 'bound once');
    assert.deepEqual((await store.getJournal(bindA.requestId))?.result, { seed: 's' });
    assert.deepEqual((await store.listPresignatures('master-1')).map((p) => p.id), [b.id]);
    await assert.rejects(store.addPresignature('master-1', a), storeCode('STORE_CONFLICT'), 'never added again');
    await store.close();

    // The bound record survives a reopen; useBound gives it once and journals the result.
    const again = await NodeStore.open({ path, secret: SECRET });
    const used = await again.useBound('master-1', a.id, bindA.requestId, (record, binding) => {
      assert.deepEqual(record, a.record);
      assert.equal(binding.requestHash, 'h1');
      return { partial: 'p' };
    });
    assert.deepEqual(used, { partial: 'p' });
    assert.equal(await again.useBound('master-1', a.id, bindA.requestId, () => ({ partial: 'q' })), undefined, 'used once');
    assert.deepEqual((await again.getJournal(bindA.requestId))?.result, { seed: 's', partial: 'p' });

    // Bound, then the master is refreshed: the bound record is gone.
    const bindB = { requestId: `sign-bind:master-1:${b.id}`, entry: entry('h3') };
    await again.bindPresignature('master-1', b.id, bindB, () => ({ seed: 's' }));
    await again.replaceShare('master-1', rand(64));
    assert.equal(await again.useBound('master-1', b.id, bindB.requestId, () => ({ partial: 'r' })), undefined);
    await again.close();
  });
});
