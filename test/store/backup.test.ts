// Backups and secret rotation at the store and file level:
// - a backup restores keys, shares, journal and tombstones; every presignature of the backup is
//   dropped and can never be added again; the restore refuses a non-empty folder;
// - the file: a wrong secret, a changed header, a flipped byte, a reordered or cut-off file and
//   trailing data are all refused, and a refused restore leaves no database behind;
// - rotation: the old secret no longer opens the store, the new one does and reads everything; an
//   interrupted swap is refused at open and finished by running the rotation again.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { restoreBackup, takeBackup } from '../../src/backup/index.ts';
import { NodeStore, rotateSecret } from '../../src/store/index.ts';
import { SECRET, hexId, keyMeta, rand, storeCode, tempRoot } from './helpers.ts';

const tmp = tempRoot();
after(() => tmp.cleanup());

/** A node folder with a config, an identity file and a store holding a key, presignatures, a used one and a journal entry. */
async function node(): Promise<{ home: string; store: NodeStore; share: Uint8Array; kept: string; used: string }> {
  const home = tmp.db();
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'config.json'), JSON.stringify({ network: 'test' }));
  writeFileSync(join(home, 'identity.key'), 'identity bytes');
  const store = await NodeStore.open({ path: join(home, 'data'), secret: SECRET });
  const share = rand(96);
  await store.putKey({ keyId: 'key-1', meta: keyMeta('key-1'), share });
  const [kept, used] = [hexId(), hexId()];
  for (const id of [kept, used]) await store.addPresignature('key-1', { id, signers: [0, 1], record: rand(64) });
  await store.consumePresignature('key-1', used, { requestId: 'req-1', entry: { method: 'sign', requestHash: 'h1', createdAt: 1 } });
  return { home, store, share, kept, used };
}

async function backupOf(n: Awaited<ReturnType<typeof node>>): Promise<string> {
  const out = join(tmp.root, `${hexId().slice(0, 8)}.backup`);
  await takeBackup({ store: n.store, home: n.home, identityFile: 'identity.key', peerId: 'peer-1' }, out);
  return out;
}

describe('backup and restore', () => {
  it('restores keys, journal and tombstones; presignatures are dropped for good', async () => {
    const n = await node();
    const file = await backupOf(n);
    await n.store.close();
    const home = tmp.db();
    const r = await restoreBackup(file, home, SECRET);
    assert.deepEqual({ keys: r.keys, dropped: r.presignaturesDropped, tombstones: r.tombstones, journal: r.journal, peerId: r.peerId }, { keys: 1, dropped: 1, tombstones: 2, journal: 1, peerId: 'peer-1' });
    assert.equal(readFileSync(join(home, 'identity.key'), 'utf8'), 'identity bytes');
    assert.deepEqual(JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')), { network: 'test' });
    const store = await NodeStore.open({ path: join(home, 'data'), secret: SECRET });
    assert.deepEqual((await store.getKey('key-1'))?.share, n.share);
    assert.equal((await store.getJournal('req-1'))?.requestHash, 'h1');
    assert.deepEqual(await store.listPresignatures('key-1'), []);
    for (const id of [n.kept, n.used]) await assert.rejects(store.addPresignature('key-1', { id, signers: [0, 1], record: rand(64) }), storeCode('STORE_CONFLICT'), 'never added again');
    await store.addPresignature('key-1', { id: hexId(), signers: [0, 1], record: rand(64) }); // fresh ones are fine
    await store.close();
    await assert.rejects(restoreBackup(file, home, SECRET), /exists: restore into a new node folder/);
  });

  it('refuses a wrong secret and any change to the file, leaving nothing behind', async () => {
    const n = await node();
    const file = await backupOf(n);
    await n.store.close();
    const bytes = readFileSync(file);
    const variant = (name: string, b: Buffer) => {
      const path = join(tmp.root, `${name}-${hexId().slice(0, 6)}`);
      writeFileSync(path, b);
      return path;
    };
    const headerEnd = 12 + bytes.readUInt32BE(8);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 5] ^= 1;
    const header = Buffer.from(bytes);
    header[headerEnd - 3] ^= 1; // inside the header JSON (its last field's value)
    const cases: [string, string, RegExp][] = [
      ['wrong secret', file, /secret does not open this backup/],
      ['flipped byte', variant('flipped', flipped), /fails authentication|secret does not open/],
      ['changed header', variant('header', header), /not JSON|unknown backup format|secret does not open/],
      ['cut off', variant('cut', bytes.subarray(0, bytes.length - 40)), /ends|cut off/],
      ['trailing data', variant('trailing', Buffer.concat([bytes, Buffer.from('more')])), /after the last chunk|impossible length|ends/],
      ['not a backup', variant('other', Buffer.from('hello world, not a backup')), /not a dan-node backup/],
    ];
    for (const [what, path, message] of cases) {
      const home = tmp.db();
      await assert.rejects(restoreBackup(path, home, what === 'wrong secret' ? 'another secret of length' : SECRET), message, what);
      assert.equal(existsSync(join(home, 'data')), false, `${what}: no database left`);
      assert.equal(existsSync(join(home, 'config.json')), false, `${what}: no config left`);
    }
  });
});

describe('secret rotation', () => {
  it('re-encrypts everything: the old secret no longer opens the store, the new one reads it all', async () => {
    const n = await node();
    await n.store.close();
    const path = join(n.home, 'data');
    const next = 'a brand new operator secret';
    const r = await rotateSecret(path, SECRET, next);
    assert.ok(r.entries > 3 && !r.resumed);
    await assert.rejects(NodeStore.open({ path, secret: SECRET }), storeCode('STORE_WRONG_SECRET'));
    const store = await NodeStore.open({ path, secret: next });
    assert.deepEqual((await store.getKey('key-1'))?.share, n.share);
    assert.deepEqual((await store.listPresignatures('key-1')).map((p) => p.id), [n.kept]);
    assert.ok(await store.consumePresignature('key-1', n.kept, { requestId: 'req-2', entry: { method: 'sign', requestHash: 'h2', createdAt: 2 } }), 'the sealed record opens');
    await store.close();
    await assert.rejects(rotateSecret(path, next, next), /the new secret is the current one/);
  });

  it('an interrupted swap is refused at open and finished by running the rotation again', async () => {
    const n = await node();
    const path = join(n.home, 'data');
    const next = 'another new operator secret';
    await n.store.reencryptTo(`${path}.rotate-new`, next);
    await n.store.close();
    renameSync(path, `${path}.rotate-old`); // the crash: between the two renames
    await assert.rejects(NodeStore.open({ path, secret: SECRET }), /rotation of .* was interrupted/);
    const r = await rotateSecret(path, SECRET, next);
    assert.ok(r.resumed);
    assert.equal(existsSync(`${path}.rotate-old`), false);
    const store = await NodeStore.open({ path, secret: next });
    assert.deepEqual((await store.getKey('key-1'))?.share, n.share);
    await store.close();
  });
});
