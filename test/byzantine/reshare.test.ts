// A cheating party in a reshare (2-of-3 devnet of real processes, the key moved to 3-of-3): node 2
// corrupts its contribution to the new parties' OT setup. The honest receivers abort naming node 2
// and ban it (the engine's rule for a failed PPRF check); nothing is switched: the key stays
// 2-of-3 on its old generation and signs with the honest nodes; `dan-node bans list` shows the ban.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { DanClient, KeyGenResult } from '../../src/client/index.ts';
import type { Cluster } from '../helpers/cluster.ts';
import { abortsAt, cli, harnessLog, nodeInfo, signAll, startByzantineCluster, until } from './helpers.ts';

describe('a party tampers with its reshare contribution: named, banned, nothing switched', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let client: DanClient;
  let key: KeyGenResult;
  let peers: string[];
  const owner = privateKeyToAccount(generatePrivateKey());

  before(async () => {
    cluster = await startByzantineCluster({ nodes: 3, threshold: 2, byzantine: 2, behaviour: 'reshare-pprf' });
    client = cluster.client(owner);
    peers = cluster.nodes.map((n) => n.peerId);
    key = await client.keyGen({ threshold: 2, owner: owner.address });
    await signAll(client, key.keyId, key.address, 2, 'before');
  });
  after(() => cluster?.cleanup());

  it('the honest receivers name node 2 (PPRF_CHECK_FAILED) and ban it; the key keeps its old generation and signs', async () => {
    for (const n of cluster.nodes) {
      const r = cli(['keys', 'approve', 'threshold', '--threshold', '3', '--home', n.home]);
      assert.equal(r.status, 0, r.stderr);
    }
    const run = cli(['keys', 'threshold', '--threshold', '3', '--home', cluster.nodes[0].home]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, new RegExp(`FAILED \\[PROTOCOL_ABORTED\\].*\\(named: ${peers[2]}, PPRF_CHECK_FAILED, banned\\)`));
    assert.ok(harnessLog(cluster, 2).some((l) => l.tampered === 'reshare-pprf'), 'the harness tampered with a message');

    for (const victim of [0, 1]) {
      const aborted = abortsAt(cluster, victim, peers[2]);
      assert.ok(aborted.length === 1 && aborted[0].check === 'PPRF_CHECK_FAILED', `node ${victim} aborted naming node 2: ${JSON.stringify(aborted)}`);
      const listed = cli(['bans', 'list', '--json', '--home', cluster.nodes[victim].home]);
      assert.equal(listed.status, 0, listed.stderr);
      const record = JSON.parse(listed.stdout).records.find((r: { peer: string }) => r.peer === peers[2]);
      assert.equal(record?.kind, 'banned', `node ${victim} banned node 2`);
      assert.equal(record.check, 'PPRF_CHECK_FAILED');
      assert.equal(record.protocol, 'reshare');
    }
    const info = await until('the coordinator shows node 2 banned', async () => ((i) => i.status === 'banned' && i)(await nodeInfo(client, peers[2])));
    assert.ok(info.standing?.some((s) => s.check === 'PPRF_CHECK_FAILED'));

    const held = await client.getKey(key.keyId);
    assert.deepEqual([held.threshold, held.nodes], [2, peers], 'nothing switched');
    await signAll(client, key.keyId, key.address, 3, 'after the failed reshare (honest signers)');
    // A banned node is refused as a party of the next attempt.
    const again = cli(['keys', 'threshold', '--threshold', '3', '--home', cluster.nodes[0].home]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /PEER_BANNED|banned/);
  });
});
