// All-or-nothing key creation through real node processes (2-of-3): a party is killed (SIGKILL,
// by the harness in ./harness, loaded into node 2's process only) at a chosen step of a keyGen.
// - after it stored its key, before the commit: the client gets an error, no party lists or uses
//   the key; once the party is back, recovery commits it everywhere and the key signs (with the
//   restarted party too);
// - when asked to commit, after every party replied: the client gets the key (two of three
//   committed it, enough to sign); the restarted party commits it in its recovery;
// - after its DKG finished, before it stored the key: the client gets an error and, once the
//   party is back, recovery discards the key at the parties that stored it (checked in every
//   store); the same request then makes the key afresh;
// - the same, with the request sent again before recovery ran: every party first settles the
//   earlier run (discarded: the restarted party never stored it), then the DKG runs again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { contentDigest, keyGenMessage } from '../../src/auth/index.ts';
import { DEVNET_NETWORK } from '../../src/cli/devnet.ts';
import { RpcError, type DanClient } from '../../src/client/index.ts';
import { deriveKeyId } from '../../src/requests/index.ts';
import { startCluster, waitConnected, type Cluster } from '../helpers/cluster.ts';
import { jsonLines, restartAll, signAll, until } from '../byzantine/helpers.ts';
import type { KeyGenFault } from './harness/keygen-faults.ts';

const HARNESS = fileURLToPath(new URL('./harness/keygen-faults.mjs', import.meta.url));
const VICTIM = 2;
/** Short DKG deadline: the recovery loop then runs every 10 s for keys pending longer than 10 s. */
const KEYGEN_MS = 10_000;

describe('all-or-nothing key creation, 2-of-3, a party killed during keyGen', { timeout: 600_000 }, () => {
  let cluster: Cluster;
  let client: DanClient;
  const owner = privateKeyToAccount(generatePrivateKey());

  before(async () => {
    cluster = await startCluster({
      nodes: 3,
      threshold: 2,
      nodeConfig: () => ({ timeouts: { keyGenMs: KEYGEN_MS } }),
      nodeProcess: (i) => (i === VICTIM ? { execArgv: ['--import', HARNESS] } : {}),
    });
    client = cluster.client(owner);
  });
  after(() => cluster?.cleanup());

  /** Order the victim's harness to die at `fault` during the next keyGen. */
  function orderFault(fault: KeyGenFault): void {
    const path = join(cluster.nodes[VICTIM].home, 'keygen-fault.json');
    writeFileSync(`${path}.tmp`, JSON.stringify({ fault }));
    renameSync(`${path}.tmp`, path);
  }
  const fired = (keyId: string) => jsonLines(join(cluster.nodes[VICTIM].home, 'keygen-fault.jsonl')).filter((l) => l.keyId === keyId).map((l) => l.fired);
  /** The node-side log lines of node i about `keyId` with this message. */
  const logged = (i: number, message: string, keyId: string) => jsonLines(cluster.nodes[i].log).filter((l) => l.message === message && l.keyId === keyId && l.component === 'node');
  const keyIdOf = (requestId: string) => deriveKeyId(DEVNET_NETWORK, contentDigest(DEVNET_NETWORK, 'KeyGen', keyGenMessage({ threshold: 2, owner: owner.address, requestId })));
  const keyGen = (requestId: string) => client.keyGen({ threshold: 2, owner: owner.address, requestId });

  async function assertNotAKey(keyId: string, what: string): Promise<void> {
    await assert.rejects(client.getKey(keyId), (e: unknown) => e instanceof RpcError && e.code === -32002, `${what}: dan_getKey says UNKNOWN_KEY`);
    const { keys } = await client.listKeys();
    assert.ok(!keys.some((k) => k.keyId === keyId), `${what}: dan_listKeys does not list it`);
  }

  /** Sign once with the victim among the signers: the other non-coordinator node is stopped meanwhile. */
  async function signWithVictim(keyId: string, address: `0x${string}`, tag: string): Promise<void> {
    const other = VICTIM === 2 ? 1 : 2;
    await cluster.kill(other);
    try {
      await until(`a signature by nodes 0 and ${VICTIM} (${tag})`, async () => {
        try {
          await signAll(client, keyId, address, 1, tag);
          return true;
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
          return false;
        }
      }, 60_000);
    } finally {
      await cluster.restart(other);
      await waitConnected(cluster, 3);
    }
  }

  it('a party killed after storing its key, before the commit: an error, no key anywhere until recovery commits it everywhere', async () => {
    const requestId = `after-store-${Date.now()}`;
    const keyId = keyIdOf(requestId);
    orderFault('die-after-store');
    await assert.rejects(keyGen(requestId), (e: unknown) => e instanceof RpcError, 'the client gets an error');
    assert.deepEqual(fired(keyId), ['die-after-store']);
    assert.equal(logged(0, 'keygen done, pending confirmation', keyId).length, 1, 'node 0 finished its DKG');
    assert.equal(logged(1, 'keygen done, pending confirmation', keyId).length, 1, 'node 1 finished its DKG');
    await assertNotAKey(keyId, 'while the party is down');

    await cluster.restart(VICTIM);
    await waitConnected(cluster, 3);
    await until('every party committed the key', () => [0, 1, 2].every((i) => logged(i, 'key committed', keyId).length === 1), 60_000);
    const key = await keyGen(requestId); // the same request: the key it made
    assert.equal(key.keyId, keyId);
    await signAll(client, keyId, key.address, 3, 'recovered');
    await signWithVictim(keyId, key.address, 'recovered, with the restarted party');
  });

  it('a party killed when asked to commit: the client gets the key (2 of 3 committed); the party commits it when back', async () => {
    const requestId = `on-commit-${Date.now()}`;
    const keyId = keyIdOf(requestId);
    orderFault('die-on-commit');
    const key = await keyGen(requestId);
    assert.equal(key.keyId, keyId);
    assert.deepEqual(fired(keyId), ['die-on-commit']);
    await signAll(client, keyId, key.address, 3, 'two parties');

    await cluster.restart(VICTIM);
    await waitConnected(cluster, 3);
    await until('the restarted party committed the key', () => logged(VICTIM, 'key committed', keyId).length === 1, 60_000);
    await signWithVictim(keyId, key.address, 'with the restarted party');
  });

  it('a party killed before storing its key: an error, and recovery leaves the key at no party; the same request then makes it', async () => {
    const requestId = `before-store-${Date.now()}`;
    const keyId = keyIdOf(requestId);
    orderFault('die-before-store');
    await assert.rejects(keyGen(requestId), (e: unknown) => e instanceof RpcError, 'the client gets an error');
    assert.deepEqual(fired(keyId), ['die-before-store']);
    assert.equal(logged(0, 'keygen done, pending confirmation', keyId).length, 1, 'node 0 finished its DKG');
    assert.equal(logged(1, 'keygen done, pending confirmation', keyId).length, 1, 'node 1 finished its DKG');
    await assertNotAKey(keyId, 'while the party is down');

    await cluster.restart(VICTIM);
    await waitConnected(cluster, 3);
    await until('nodes 0 and 1 discarded the key', () => [0, 1].every((i) => logged(i, 'pending key discarded', keyId).length === 1), 60_000);
    await assertNotAKey(keyId, 'after recovery');

    // Every store: neither a key nor a pending key of that id.
    await Promise.all(cluster.nodes.map((_, i) => cluster.kill(i, 'SIGTERM')));
    for (let i = 0; i < cluster.nodes.length; i++) {
      const store = await cluster.openStore(i);
      try {
        assert.equal(await store.getKey(keyId), undefined, `node ${i} holds no key ${keyId}`);
        assert.equal(await store.getPendingKey(keyId), undefined, `node ${i} holds no pending key ${keyId}`);
        // The keys of the earlier tests are whole: committed at every party, with every party's acknowledgement.
        for (const meta of await store.listKeys()) assert.equal(Object.keys((meta.keyGenAcks as object | undefined) ?? {}).length, 3, `node ${i}: ${meta.keyId} carries 3 acknowledgements`);
        assert.equal((await store.listKeys()).length, 2, `node ${i} holds the two keys of the earlier tests`);
      } finally {
        await store.close();
      }
    }
    await restartAll(cluster, client, false);

    const key = await keyGen(requestId);
    assert.equal(key.keyId, keyId);
    await signAll(client, keyId, key.address, 3, 'made afresh');
  });

  it('the same request again before recovery ran: each party first settles the earlier run (discarded), then the DKG runs again', async (t) => {
    const requestId = `retry-${Date.now()}`;
    const keyId = keyIdOf(requestId);
    orderFault('die-before-store');
    await assert.rejects(keyGen(requestId), (e: unknown) => e instanceof RpcError);
    const failedAt = Date.now();
    assert.deepEqual(fired(keyId), ['die-before-store']);
    await cluster.restart(VICTIM);
    await waitConnected(cluster, 3);
    const early = Date.now() - failedAt < KEYGEN_MS - 3000; // the recovery loop cannot have reached the key yet
    const key = await keyGen(requestId);
    assert.equal(key.keyId, keyId);
    for (const i of [0, 1]) {
      const [discarded] = logged(i, 'pending key discarded', keyId);
      assert.ok(discarded, `node ${i} discarded the earlier run`);
      if (early) assert.match(discarded.why, /a new run of its DKG was asked for/, `node ${i} settled it when the request came again`);
      assert.equal(logged(i, 'keygen done, pending confirmation', keyId).length, 2, `node ${i} ran the DKG again`);
    }
    t.diagnostic(`settled by ${early ? 'the new run' : 'either the new run or recovery'}`);
    await signAll(client, keyId, key.address, 3, 'second run');
    await signWithVictim(keyId, key.address, 'second run, with the restarted party');
  });
});
