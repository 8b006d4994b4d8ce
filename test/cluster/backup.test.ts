// Backup, restore and secret rotation through real node processes (2-of-3, derived keys), as an
// operator runs them: `dan-node backup` of node 2 while it signs, more signing, node 2's folder
// lost and rebuilt with `dan-node restore`, then node 1 stopped so that every signature needs the
// restored node: it presigns afresh and signs, and no two signatures of the key ever share an r
// (no presignature was used twice). Then `dan-node secret rotate` on the stopped node: the old
// secret no longer opens its store, the new one does; rotated back, the node signs again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { DanClient } from '../../src/client/index.ts';
import type { KeyGenResult } from '../../src/rpc/index.ts';
import { NodeStore, isStoreError } from '../../src/store/index.ts';
import { cli, until } from '../byzantine/helpers.ts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';

const owner = privateKeyToAccount(generatePrivateKey());

describe('backup, restore and secret rotation, 2-of-3', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let client: DanClient;
  let key: KeyGenResult;
  const rs = new Set<string>();
  let signatures = 0;
  const sign = async (count: number, tag: string) => {
    for (let i = 0; i < count; i++) {
      const digest = keccak256(toHex(`${tag} ${i} ${Math.random()}`));
      const { signature } = await client.sign({ keyId: key.keyId, digest });
      assert.equal(await recoverAddress({ hash: digest, signature }), key.address, `${tag} ${i} verifies`);
      rs.add(signature.slice(2, 66));
      signatures++;
    }
  };
  const secretEnv = () => ({ DAN_NODE_SECRET: cluster.secret });

  before(async () => {
    cluster = await startCluster({ nodes: 3, threshold: 2, masterKey: true });
    client = cluster.client(owner);
    key = await client.keyGen({ threshold: 2 });
    await sign(5, 'before');
  });
  after(() => cluster?.cleanup());

  it('backup while signing, restore into a lost node folder: fresh presignatures, no r used twice', async () => {
    const home = cluster.nodes[2].home;
    const file = join(cluster.home, 'node-2.backup');
    assert.match(cli(['backup', '--help']).stdout, /Usage: dan-node backup --home DIR --out FILE/);
    const signing = sign(10, 'during');
    const made = cli(['backup', '--home', home, '--out', file, '--json']);
    assert.equal(made.status, 0, made.stderr);
    const summary = JSON.parse(made.stdout);
    assert.equal(summary.via, 'node', 'taken from the running node');
    assert.ok(summary.entries > 0 && existsSync(file));
    await signing;
    await sign(10, 'after the backup');

    // The machine is lost: the folder goes, the backup rebuilds it.
    await cluster.kill(2, 'SIGKILL');
    renameSync(home, `${home}.lost`);
    assert.match(cli(['restore', '--help']).stdout, /Usage: dan-node restore --in FILE --home DIR/);
    const wrong = cli(['restore', '--in', file, '--home', home], { DAN_NODE_SECRET: randomBytes(16).toString('hex') });
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /secret does not open this backup/);
    assert.equal(existsSync(join(home, 'config.json')), false, 'a refused restore leaves nothing');
    const restored = cli(['restore', '--in', file, '--home', home, '--json'], secretEnv());
    assert.equal(restored.status, 0, restored.stderr);
    const r = JSON.parse(restored.stdout);
    assert.equal(r.peerId, cluster.nodes[2].peerId);
    assert.ok(r.keys >= 2, 'the master key and the derived key');
    assert.ok(r.presignaturesDropped > 0, 'the backup held presignatures (the pools were full)');
    assert.ok(r.tombstones >= r.presignaturesDropped, 'every dropped presignature is tombstoned');
    const store = await NodeStore.open({ path: join(home, 'data'), secret: cluster.secret });
    assert.deepEqual(await store.listPresignatures(key.derivedFrom!), [], 'no presignature comes back');
    assert.equal((await store.getKeyMeta(key.keyId))?.publicKey, key.publicKey);
    await store.close();
    const again = cli(['restore', '--in', file, '--home', home], secretEnv());
    assert.notEqual(again.status, 0, 'a restore never overwrites a node');
    assert.match(again.stderr, /exists: restore into a new node folder/);

    // Every signature now needs node 2: node 1 is stopped.
    await cluster.restart(2);
    await cluster.kill(1, 'SIGTERM');
    await until('node 2 connected, node 1 gone', async () => {
      const { nodes } = await client.nodes();
      return nodes.find((n) => n.peerId === cluster.nodes[2].peerId)?.connected && !nodes.find((n) => n.peerId === cluster.nodes[1].peerId)?.connected;
    });
    await sign(10, 'restored');
    assert.equal(rs.size, signatures, `every one of the ${signatures} signatures has its own r`);
    await cluster.restart(1);
  });

  it('secret rotate: the old secret no longer opens the store, the new one does; the node signs again', async () => {
    const home = cluster.nodes[2].home;
    const data = join(home, 'data');
    const next = randomBytes(24).toString('base64');
    const nextFile = join(cluster.home, 'next-secret');
    writeFileSync(nextFile, next, { mode: 0o600 });
    const busy = cli(['secret', 'rotate', '--home', home, '--new-secret-file', nextFile], secretEnv());
    assert.notEqual(busy.status, 0);
    assert.match(busy.stderr, /is running: stop it first/);
    await cluster.kill(2, 'SIGTERM');
    const rotated = cli(['secret', 'rotate', '--home', home, '--new-secret-file', nextFile], secretEnv());
    assert.equal(rotated.status, 0, rotated.stderr);
    await assert.rejects(NodeStore.open({ path: data, secret: cluster.secret }), (e: unknown) => isStoreError(e, 'STORE_WRONG_SECRET'));
    const store = await NodeStore.open({ path: data, secret: next });
    const shared = await store.getKey(key.derivedFrom!);
    assert.ok(shared && shared.share.length > 0, 'the master share opens under the new secret');
    assert.ok((await store.listKeys()).some((k) => k.keyId === key.keyId));
    await store.close();

    // Back to the devnet's secret (the processes get it), and node 2 signs with node 0.
    const backFile = join(cluster.home, 'devnet-secret');
    writeFileSync(backFile, cluster.secret, { mode: 0o600 });
    const back = cli(['secret', 'rotate', '--home', home, '--new-secret-file', backFile], { DAN_NODE_SECRET: next });
    assert.equal(back.status, 0, back.stderr);
    await cluster.restart(2);
    await cluster.kill(1, 'SIGTERM');
    await until('node 2 connected, node 1 gone', async () => {
      const { nodes } = await client.nodes();
      return nodes.find((n) => n.peerId === cluster.nodes[2].peerId)?.connected && !nodes.find((n) => n.peerId === cluster.nodes[1].peerId)?.connected;
    });
    await sign(5, 'rotated');
    assert.equal(rs.size, signatures);
  });
});
