// A node killed (SIGKILL) in the middle of a burst of signatures: every signature returned is
// valid, the node restarts with its shares, and no presignature ever signed two digests (checked
// in every node's journal after the run).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keccak256, recoverAddress, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';

describe('SIGKILL during a burst of signs', { timeout: 600_000 }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ nodes: 3, threshold: 2 });
  });
  after(() => cluster?.cleanup());

  it('returns only valid signatures and never reuses a presignature', async (t) => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const client = cluster.client(owner);
    const key = await client.keyGen({ threshold: 2, owner: owner.address });
    let next = 0;
    let ok = 0;
    let failed = 0;
    const worker = async (until: number) => {
      while (next < until) {
        const digest = keccak256(toHex(`burst ${next++}`));
        try {
          const sig = await client.sign({ keyId: key.keyId, digest });
          assert.equal(await recoverAddress({ hash: digest, signature: sig.signature }), key.address);
          ok++;
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
          failed++; // a sign caught by the crash may fail; it must never return a bad signature
        }
      }
    };
    const burst = Promise.all(Array.from({ length: 6 }, () => worker(60)));
    await new Promise((r) => setTimeout(r, 400));
    await cluster.kill(1);
    await burst;
    await cluster.restart(1);
    // The restarted node signs with its stored share: take node 2 away so that {0, 1} must sign.
    await cluster.kill(2);
    await Promise.all(Array.from({ length: 3 }, () => worker(80)));
    await cluster.restart(2);
    t.diagnostic(`${ok} signatures, ${failed} failed requests`);
    assert.ok(ok >= 60, `at least 60 of 80 signatures (${ok} ok, ${failed} failed)`);

    // Every node's journal: one digest per presignature id, ever.
    await Promise.all([0, 1, 2].map((i) => cluster.kill(i, 'SIGTERM')));
    let entries = 0;
    for (const i of [0, 1, 2]) {
      const store = await cluster.openStore(i);
      try {
        const digests = new Map<string, Set<string>>();
        for await (const [, entry] of store.journalEntries()) {
          if (entry.method !== 'sign') continue;
          entries++;
          const set = digests.get(entry.presignatureId!) ?? new Set<string>();
          set.add(entry.digest!);
          digests.set(entry.presignatureId!, set);
        }
        for (const [id, set] of digests) assert.equal(set.size, 1, `node ${i}: presignature ${id} signed ${set.size} digests`);
        // Consumed presignatures are gone from the pool.
        for (const p of await store.listPresignatures(key.keyId)) assert.ok(!digests.has(p.id), `node ${i}: ${p.id} is both pooled and journalled`);
        assert.ok((await store.getKey(key.keyId))?.share.length, `node ${i} still holds its share`);
      } finally {
        await store.close();
      }
    }
    t.diagnostic(`${entries} journal entries`);
    assert.ok(entries >= 2 * ok, `every signature left a journal entry on both signers (${entries} entries, ${ok} signatures)`);
  });
});
