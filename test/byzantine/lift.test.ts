// An operator looks at a ban and lifts it (2-of-3 devnet, node 1 probed node 0's OT secret):
// `dan-node bans list|show` on the stopped node (from its store) and `lift` on the running node
// (through its control socket). A lifted ban does not make the probed correlations safe: node 0
// refuses to presign with node 1 on the shared key (REFRESH_REQUIRED, no session started) until
// `dan-node refresh` has run; then node 1 presigns with it again and signatures verify.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { DanClient, KeyGenResult } from '../../src/client/index.ts';
import type { Cluster } from '../helpers/cluster.ts';
import { abortsAt, cli, harnessLog, nodeInfo, order, restartAll, signAll, startByzantineCluster, until } from './helpers.ts';

describe('lifting a ban: presigning with the peer is refused until the key is refreshed', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  let client: DanClient;
  let key: KeyGenResult;
  let peers: string[];
  const owner = privateKeyToAccount(generatePrivateKey());
  const drive = async (count: number, tag: number) => {
    order(cluster, 1, { drive: { victim: peers[0], keyId: key.keyId, signers: [0, 1], count } });
    return until('the drive', () => harnessLog(cluster, 1).filter((l) => l.driveDone)[tag]?.driveDone, 120_000);
  };

  before(async () => {
    cluster = await startByzantineCluster({ nodes: 3, threshold: 2, byzantine: 1, behaviour: 'softspoken' });
    client = cluster.client(owner);
    peers = cluster.nodes.map((n) => n.peerId);
    key = await client.keyGen({ threshold: 2, owner: owner.address });
    await until('node 0 bans node 1', async () => (await nodeInfo(client, peers[1])).standing?.some((s) => s.kind === 'banned' && s.by === peers[0]));
  });
  after(() => cluster?.cleanup());

  it('bans list and show work on the stopped node, from its store', async () => {
    await cluster.kill(0, 'SIGTERM');
    const env = { DAN_NODE_SECRET: cluster.secret };
    const list = cli(['bans', 'list', '--home', cluster.nodes[0].home], env);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${peers[1]}\\s+banned\\s+OT_CHECK_FAILED`));
    const show = cli(['bans', 'show', peers[1], '--home', cluster.nodes[0].home], env);
    assert.equal(show.status, 0, show.stderr);
    const [record] = JSON.parse(show.stdout);
    assert.equal(record.keyId, key.keyId);
    assert.equal(record.protocol, 'presign');
    assert.ok(record.evidence.copy.length === 2 * record.evidence.bytes, 'the offending message is kept whole');
    assert.equal(cli(['bans', 'show', peers[2], '--home', cluster.nodes[0].home], env).status, 1, 'no record on node 2');
    assert.equal(cli(['bans', 'list', '--home', cluster.nodes[0].home], { DAN_NODE_SECRET: 'wrong secret of some length' }).status, 1, 'a wrong secret is refused');
    await restartAll(cluster, client);
  });

  it('lift on the running node: the key needs a refresh, and node 0 refuses to presign with node 1 until then', async () => {
    order(cluster, 1, { honest: true });
    await until('node 1 honest', () => harnessLog(cluster, 1).some((l) => l.honest === true));
    const lift = cli(['bans', 'lift', peers[1], '--home', cluster.nodes[0].home]);
    assert.equal(lift.status, 0, lift.stderr);
    assert.match(lift.stdout, new RegExp(`lifted banned on ${peers[1]}`));
    assert.match(lift.stdout, new RegExp(`1 key\\(s\\) need a refresh .*${key.keyId}`));
    assert.equal(cli(['bans', 'list', '--home', cluster.nodes[0].home]).stdout.trim().startsWith('no bans'), true);
    const refused = await drive(3, 0);
    assert.deepEqual(refused.outcomes, { REFRESH_REQUIRED: 3 });
    assert.equal(abortsAt(cluster, 0, peers[1]).length, 1, 'still the one aborted session of the attack');
  });

  it('after dan-node refresh, node 1 presigns with node 0 again and signatures verify', async () => {
    const refresh = cli(['refresh', '--home', cluster.nodes[0].home, '--key', key.keyId]);
    assert.equal(refresh.status, 0, refresh.stderr);
    const result = JSON.parse(refresh.stdout);
    assert.equal(result.publicKey, key.publicKey);
    assert.equal(result.address, key.address);
    assert.match(result.generation, /^0x[0-9a-f]{64}$/);
    const accepted = await drive(1, 1);
    assert.deepEqual(accepted.outcomes, { ok: 1 });
    await until('node 1 scheduled again', async () => (await nodeInfo(client, peers[1])).status === 'connected');
    await signAll(client, key.keyId, key.address, 10, 'refreshed');
    const again = cli(['refresh', '--home', cluster.nodes[0].home, '--key', key.keyId]);
    assert.equal(again.status, 1, 'a second operator refresh within 30 s is refused');
    assert.match(again.stderr, /less than 30 s ago/);
  });
});
