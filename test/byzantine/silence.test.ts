// A node that stays connected but goes silent (sends no session message, answers no protocol
// call), on 2-of-3 and 3-of-5 devnets: the honest nodes time out naming it, the coordinator
// stops scheduling it and keeps signing; every time-out counts against it, and past
// bans.maxAbortsPerHour (2 here) its victim suspends it for good, across restarts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { DanClient, KeyGenResult } from '../../src/client/index.ts';
import type { Cluster } from '../helpers/cluster.ts';
import { harnessLog, jsonLines, nodeInfo, order, restartAll, signAll, startByzantineCluster, until } from './helpers.ts';

const M = 1;

for (const [t, n] of [[2, 3], [3, 5]] as const) {
  describe(`silence: ${t}-of-${n}, node ${M} stops answering`, { timeout: 300_000 }, () => {
    let cluster: Cluster;
    let client: DanClient;
    let key: KeyGenResult;
    let peers: string[];
    const owner = privateKeyToAccount(generatePrivateKey());
    const timeoutsAt = (i: number) => jsonLines(cluster.nodes[i].log).filter((l) => l.message === 'session timed out' && l.suspects?.includes(peers[M]));

    before(async () => {
      cluster = await startByzantineCluster({
        nodes: n,
        threshold: t,
        byzantine: M,
        behaviour: 'silence',
        startHonest: true,
        config: { timeouts: { presignMs: 2000 }, bans: { maxAbortsPerHour: 2 } },
      });
      client = cluster.client(owner);
      peers = cluster.nodes.map((x) => x.peerId);
      key = await client.keyGen({ threshold: t, owner: owner.address });
      order(cluster, M, { misbehave: true });
      await until('node 1 silent', () => harnessLog(cluster, M).some((l) => l.honest === false));
    });
    after(() => cluster?.cleanup());

    it('the honest nodes time out naming it; the coordinator leaves it out and keeps signing', async () => {
      // Whichever honest signer's timer fires first tells the others, who then stop without timing out.
      const honest = cluster.nodes.map((_, i) => i).filter((i) => i !== M);
      await until('a time-out naming node 1', () => honest.some((i) => timeoutsAt(i).length > 0), 60_000);
      await signAll(client, key.keyId, key.address, 10, 'silence');
      for (let i = 0; i < n; i++) {
        if (i === M) continue;
        const named = jsonLines(cluster.nodes[i].log).filter((l) => l.message === 'session timed out').flatMap((l) => l.suspects ?? []);
        assert.ok(named.every((p: string) => p === peers[M]), `node ${i} names only node ${M}: ${named}`);
      }
    });

    it('past the limit of aborted sessions per hour its victim suspends it, for good', async () => {
      order(cluster, M, { drive: { victim: peers[0], keyId: key.keyId, signers: t === 2 ? [0, 1] : [0, 1, 2], count: 3 } });
      const done = await until('the drive', () => harnessLog(cluster, M).find((l) => l.driveDone)?.driveDone, 120_000);
      assert.ok((done.outcomes.PEER_BANNED ?? 0) >= 1, `refused once suspended: ${JSON.stringify(done.outcomes)}`);
      assert.ok(timeoutsAt(0).length <= 3, `at most limit + 1 aborted sessions at node 0: ${timeoutsAt(0).length}`);
      const info = await until('dan_nodes shows the suspension', async () => ((i) => i.status === 'suspended' && i)(await nodeInfo(client, peers[M])));
      assert.ok(info.standing?.some((s) => s.kind === 'suspended' && s.by === peers[0] && s.check === 'ABORT_LIMIT'));
      await restartAll(cluster, client);
      await until('still suspended after the restart', async () => (await nodeInfo(client, peers[M])).status === 'suspended');
      await signAll(client, key.keyId, key.address, 5, 'restarted');
    });
  });
}
