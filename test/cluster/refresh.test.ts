// dan_refreshKey through real node processes, 2-of-3 and 3-of-5: the owner refreshes a key; every
// node switches to the same new generation (new share, same public key and address); every pooled
// presignature of the old generation is invalidated for good (its id can never be pooled again);
// signing continues and the pools refill. A node killed in the middle of a refresh leaves the old
// generation in use; the refresh can then be run again. Only the key's owner may ask.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { RpcError, type DanClient, type KeyGenResult } from '../../src/client/index.ts';
import type { NodeStore } from '../../src/store/index.ts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { restartAll, signAll, until } from '../byzantine/helpers.ts';

/** Stop every node, look into each store, start them again. */
async function inspect<T>(cluster: Cluster, client: DanClient, look: (store: NodeStore, i: number) => Promise<T>): Promise<T[]> {
  await Promise.all(cluster.nodes.map((_, i) => cluster.kill(i, 'SIGTERM')));
  const out: T[] = [];
  for (let i = 0; i < cluster.nodes.length; i++) {
    const store = await cluster.openStore(i);
    try {
      out.push(await look(store, i));
    } finally {
      await store.close();
    }
  }
  await restartAll(cluster, client, false);
  return out;
}

for (const [t, n] of [[2, 3], [3, 5]] as const) {
  describe(`refresh through the network, ${t}-of-${n}`, { timeout: 600_000 }, () => {
    let cluster: Cluster;
    let client: DanClient;
    let key: KeyGenResult;
    const owner = privateKeyToAccount(generatePrivateKey());

    before(async () => {
      // Short DKG deadline: the interrupted refresh below fails after it.
      cluster = await startCluster({ nodes: n, threshold: t, nodeConfig: () => ({ timeouts: { keyGenMs: n === 3 ? 10_000 : 25_000 } }) });
      client = cluster.client(owner);
      key = await client.keyGen({ threshold: t, owner: owner.address });
      await signAll(client, key.keyId, key.address, 5, 'before');
      await until('a pooled presignature', async () => (await client.presignStatus(key.keyId)).pools.some((p) => p.available > 0));
    });
    after(() => cluster?.cleanup());

    it('the owner refreshes the key: same address, new generation everywhere, old presignatures invalidated, signing continues', async (test) => {
      const before = await inspect(cluster, client, async (store) => {
        const k = (await store.getKey(key.keyId))!;
        return { generation: k.meta.generation as string, share: k.share, pooled: (await store.listPresignatures(key.keyId)).map((p) => p.id) };
      });
      assert.ok(before.some((b) => b.pooled.length > 0), 'some presignatures were pooled before the refresh');
      assert.equal(new Set(before.map((b) => b.generation)).size, 1);

      const started = performance.now();
      const refreshed = await client.request('dan_refreshKey', { keyId: key.keyId, requestId: `refresh-${Date.now()}` });
      const ms = performance.now() - started;
      assert.equal(refreshed.publicKey, key.publicKey);
      assert.equal(refreshed.address, key.address);
      assert.notEqual(refreshed.generation.slice(2), before[0].generation);
      await signAll(client, key.keyId, key.address, 10, 'after');
      await until('the pools refill', async () => (await client.presignStatus(key.keyId)).pools.some((p) => p.available > 0));

      const after = await inspect(cluster, client, async (store, i) => {
        const k = (await store.getKey(key.keyId))!;
        // An old presignature can never come back: its id is tombstoned by the refresh.
        const stale = before[i].pooled[0];
        let refused: unknown;
        if (stale) {
          await store.addPresignature(key.keyId, { id: stale, signers: [0, 1], record: new Uint8Array(8) }).catch((e: unknown) => (refused = e));
        }
        return { generation: k.meta.generation, share: k.share, pooled: (await store.listPresignatures(key.keyId)).map((p) => p.id), refused };
      });
      for (const [i, a] of after.entries()) {
        assert.equal(a.generation, refreshed.generation.slice(2), `node ${i} switched to the new generation`);
        assert.notDeepEqual(a.share, before[i].share, `node ${i} holds a new share`);
        assert.ok(!a.pooled.some((id) => before[i].pooled.includes(id)), `node ${i} pools no presignature of the old generation`);
        if (before[i].pooled[0]) assert.equal((a.refused as { context?: { reason?: string } })?.context?.reason, 'refresh', `node ${i}: an old id is refused for good`);
      }
      await signAll(client, key.keyId, key.address, 5, 'after restart');
      test.diagnostic(`refresh ${t}-of-${n}: ${Math.round(ms)} ms`);
    });

    it('only the owner may refresh', async () => {
      const stranger = cluster.client(privateKeyToAccount(generatePrivateKey()));
      await assert.rejects(stranger.request('dan_refreshKey', { keyId: key.keyId, requestId: `r-${Date.now()}` }), (e: unknown) => e instanceof RpcError && e.code === -32001);
    });

    it('a node killed in the middle of a refresh leaves the old generation working; the refresh runs again', async () => {
      const victim = n - 1;
      const attempt = client.request('dan_refreshKey', { keyId: key.keyId, requestId: `interrupted-${Date.now()}` });
      await new Promise((r) => setTimeout(r, 150));
      await cluster.kill(victim);
      await assert.rejects(attempt, (e: unknown) => e instanceof RpcError);
      await cluster.restart(victim);
      await until('the network is whole again', async () => (await client.nodes()).nodes.every((x) => x.connected));
      await signAll(client, key.keyId, key.address, 5, 'interrupted');
      const again = await client.request('dan_refreshKey', { keyId: key.keyId, requestId: `rerun-${Date.now()}` });
      assert.equal(again.address, key.address);
      await signAll(client, key.keyId, key.address, 5, 'rerun');
    });
  });
}
