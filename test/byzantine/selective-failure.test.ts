// A selective-failure attacker (node 1 flips bits of its SoftSpoken messages, which is how it would
// probe a victim's long-lived OT secret one abort at a time) gets at most one aborted session out
// of each victim, however often it tries, on a 2-of-3 devnet:
// - through the coordinator: the pools presign with it until the first abort, then never again,
//   while 200 signatures are served;
// - directly as a peer: it starts 1,000 presign sessions with node 2 itself; node 2 aborts the
//   first, bans it, and refuses the 999 others (PEER_BANNED) before any protocol work.
// Each victim's log holds exactly one aborted session naming node 1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { DanClient, KeyGenResult } from '../../src/client/index.ts';
import type { Cluster } from '../helpers/cluster.ts';
import { abortsAt, harnessLog, nodeInfo, order, signAll, startByzantineCluster, until } from './helpers.ts';

describe('selective failure: 1,000 attempts cost each victim at most one aborted session (2-of-3)', { timeout: 600_000 }, () => {
  let cluster: Cluster;
  let client: DanClient;
  let key: KeyGenResult;
  let peers: string[];
  const owner = privateKeyToAccount(generatePrivateKey());

  before(async () => {
    cluster = await startByzantineCluster({ nodes: 3, threshold: 2, byzantine: 1, behaviour: 'softspoken' });
    client = cluster.client(owner);
    peers = cluster.nodes.map((n) => n.peerId);
    key = await client.keyGen({ threshold: 2, owner: owner.address });
  });
  after(() => cluster?.cleanup());

  it('through the coordinator: one aborted session at node 0, then node 1 is never scheduled; 200 signatures verify', async () => {
    await until('node 1 banned', async () => (await nodeInfo(client, peers[1])).status === 'banned');
    await signAll(client, key.keyId, key.address, 200, 'coordinator');
    assert.equal(abortsAt(cluster, 0, peers[1]).length, 1, 'one aborted session at node 0');
    const status = await client.presignStatus(key.keyId);
    assert.ok(status.pools.every((p) => !p.signers.includes(1) || p.target === 0), JSON.stringify(status.pools));
  });

  it('directly as a peer: 1,000 presign sessions started by node 1 with node 2; node 2 aborts one and refuses the rest', async () => {
    assert.equal(abortsAt(cluster, 2, peers[1]).length, 0, 'node 2 was not attacked yet');
    order(cluster, 1, { drive: { victim: peers[2], keyId: key.keyId, signers: [1, 2], count: 1000 } });
    const done = await until('the 1,000 attempts', () => harnessLog(cluster, 1).find((l) => l.driveDone)?.driveDone, 300_000);
    assert.equal(done.count, 1000);
    assert.equal(done.outcomes.PEER_BANNED, 999, JSON.stringify(done.outcomes));
    assert.equal((done.outcomes.PROTOCOL_ABORTED ?? 0) + (done.outcomes.PEER_ABORTED ?? 0), 1, JSON.stringify(done.outcomes));
    const aborts = abortsAt(cluster, 2, peers[1]);
    assert.equal(aborts.length, 1, 'exactly one aborted session at node 2');
    assert.equal(aborts[0].check, 'OT_CHECK_FAILED');
    assert.equal(aborts[0].ban, true);
    // Nothing else of node 1 reached node 2's protocol engine: its frames were dropped.
    await signAll(client, key.keyId, key.address, 10, 'after');
  });
});
