// The network through real processes: keyGen and signing over JSON-RPC, with nodes killed
// (SIGKILL) and restarted. Every signature is checked with viem.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import type { DanClient } from '../../src/client/index.ts';

async function signMany(client: DanClient, keyId: string, address: Hex, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const digest = keccak256(toHex(`${tag} ${i}`));
    const sig = await client.sign({ keyId, digest });
    assert.equal(await recoverAddress({ hash: digest, signature: sig.signature }), address, `${tag} ${i}`);
    assert.ok(sig.v === 27 || sig.v === 28);
  }
}

for (const [t, n] of [[2, 3], [3, 5]] as const) {
  describe(`${t}-of-${n} cluster`, { timeout: 600_000 }, () => {
    let cluster: Cluster;
    const owner = privateKeyToAccount(generatePrivateKey());
    let client: DanClient;
    before(async () => {
      cluster = await startCluster({ nodes: n, threshold: t });
      client = cluster.client(owner);
    });
    after(() => cluster?.cleanup());

    it('generates a key and signs 50 digests; survives a killed node; the restarted node signs again', async () => {
      const key = await client.keyGen({ threshold: t, owner: owner.address });
      assert.equal(key.threshold, t);
      assert.equal(key.parties, n);
      assert.equal(key.nodes.length, n);
      assert.match(key.publicKey, /^0x0[23][0-9a-f]{64}$/);
      await signMany(client, key.keyId, key.address, 50, 'before');

      // Kill the last node: the others still form a quorum.
      const victim = n - 1;
      await cluster.kill(victim);
      await signMany(client, key.keyId, key.address, 5, 'without');

      // Bring it back, then kill another one so that the restarted node must take part.
      await cluster.restart(victim);
      await waitConnected(client, n);
      const other = 1;
      await cluster.kill(other);
      await signMany(client, key.keyId, key.address, 5, 'restarted');
      const status = await client.nodes();
      assert.equal(status.nodes.find((x) => x.peerId === cluster.nodes[other].peerId)?.status, 'disconnected');
      await cluster.restart(other);
      await waitConnected(client, n);
    });

    it('refuses with QUORUM_UNAVAILABLE when fewer than t nodes are up', async () => {
      const key = await client.keyGen({ threshold: t, owner: owner.address });
      const down = n - t + 1;
      for (let i = 1; i <= down; i++) await cluster.kill(i);
      await assert.rejects(client.sign({ keyId: key.keyId, digest: keccak256('0x01') }), (e: Error & { code?: number }) => e.code === -32003);
      for (let i = 1; i <= down; i++) await cluster.restart(i);
      await waitConnected(client, n);
      await signMany(client, key.keyId, key.address, 2, 'after quorum');
    });
  });
}

async function waitConnected(client: DanClient, n: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { nodes } = await client.nodes();
    if (nodes.filter((x) => x.status !== 'disconnected').length === n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('nodes did not reconnect');
}
