// A cheating node is named and shut out, on 2-of-3 and 3-of-5 devnets of real processes. Node 1
// runs the misbehaving-node harness (./harness) with one behaviour per case; for each:
// - the harness really tampered (its log), and the honest nodes that aborted name node 1 and
//   nobody else (their logs);
// - ban-worthy checks (SoftSpoken, RVOLE, PPRF) ban it: the victim's record, with the failed check
//   and the evidence, is listed by `dan-node bans list` while the node runs; other deviations are
//   blamed; the coordinator's dan_nodes shows the record, and /metrics counts it;
// - the coordinator keeps signing with honest signers and every signature verifies;
// - after every process restarts, node 1 is still shut out and signing still works.
// (The guard/router unit tests in test/node show that a ban is on disk before the session
// rejects; selective-failure.test.ts drives 1,000 attempts at one victim.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { DanClient, KeyGenResult } from '../../src/client/index.ts';
import type { Cluster } from '../helpers/cluster.ts';
import type { Behaviour } from './harness/tamper.ts';
import { abortsAt, cli, harnessLog, jsonLines, metrics, nodeInfo, restartAll, signAll, startByzantineCluster, until } from './helpers.ts';

const M = 1; // the misbehaving node

interface Case {
  behaviour: Behaviour;
  /** When the misbehaviour shows: during presigning (pool refills), a second keyGen, or signing. */
  phase: 'presign' | 'keygen' | 'sign';
  /** The check that fails at the honest parties (or at the coordinator, for a wrong partial). */
  check: string;
  ban: boolean;
  /** Tamper only with messages to this node. */
  target?: (n: number) => number;
}

const CASES: Case[] = [
  { behaviour: 'softspoken', phase: 'presign', check: 'OT_CHECK_FAILED', ban: true },
  { behaviour: 'rvole', phase: 'presign', check: 'RVOLE_CHECK_FAILED', ban: true },
  { behaviour: 'pprf', phase: 'keygen', check: 'PPRF_CHECK_FAILED', ban: true },
  { behaviour: 'dkg-share', phase: 'keygen', check: 'FELDMAN_CHECK_FAILED', ban: false },
  { behaviour: 'dkg-proof', phase: 'keygen', check: 'INVALID_PROOF', ban: false },
  { behaviour: 'equivocate', phase: 'keygen', check: 'BROADCAST_MISMATCH', ban: false, target: (n) => n - 1 },
  { behaviour: 'replay', phase: 'presign', check: 'WRONG_SESSION', ban: false },
  { behaviour: 'wrong-partial', phase: 'sign', check: 'INVALID_PARTIAL', ban: false },
];

// DAN_TEST_CASES=softspoken,rvole runs only those behaviours (while developing).
const only = process.env.DAN_TEST_CASES?.split(',');

for (const [t, n] of [[2, 3], [3, 5]] as const) {
  for (const c of CASES.filter((x) => !only || only.includes(x.behaviour))) {
    describe(`${c.behaviour}: ${t}-of-${n}, node ${M} misbehaves`, { timeout: 240_000 }, () => {
      let cluster: Cluster;
      let client: DanClient;
      let key: KeyGenResult;
      let peers: string[];
      let cheater: string;
      const honest = () => peers.filter((p) => p !== cheater);
      const aborts = () => honest().flatMap((p) => abortsAt(cluster, peers.indexOf(p), cheater));
      const owner = privateKeyToAccount(generatePrivateKey());

      before(async () => {
        cluster = await startByzantineCluster({
          nodes: n,
          threshold: t,
          byzantine: M,
          behaviour: c.behaviour,
          // The first DKG is honest, so that a key exists to sign with afterwards.
          skipSessions: c.phase === 'keygen' ? 1 : 0,
          target: c.target?.(n),
        });
        client = cluster.client(owner);
        peers = cluster.nodes.map((x) => x.peerId);
        cheater = peers[M];
        key = await client.keyGen({ threshold: t, owner: owner.address });
      });
      after(() => cluster?.cleanup());

      it(`the honest nodes name node ${M} (${c.check}) and shut it out`, async () => {
        if (c.phase === 'keygen') {
          await assert.rejects(client.keyGen({ threshold: t, owner: owner.address }), (e: Error & { code?: number; data?: Record<string, unknown> }) => {
            assert.equal(e.code, -32008, `PROTOCOL_ABORTED, got ${e.message}`);
            assert.equal(e.data?.suspect, cheater, e.message);
            assert.equal(e.data?.check, c.check, e.message);
            return true;
          });
        }
        if (c.phase === 'sign') await signAll(client, key.keyId, key.address, 10, 'trigger'); // the pools alternate between signer sets
        const info = await until(`dan_nodes to exclude node ${M}`, async () => {
          const i = await nodeInfo(client, cheater);
          return i.status !== 'connected' && i.status !== 'disconnected' ? i : undefined;
        });
        assert.equal(info.status, c.ban ? 'banned' : 'blamed');
        assert.ok(info.standing?.some((s) => s.check === c.check && honest().includes(s.by)), `a record by an honest node with ${c.check}: ${JSON.stringify(info.standing)}`);
        if (c.behaviour === 'equivocate') assert.ok(aborts().some((l) => l.proof === true), 'the honest nodes hold a proof (two messages signed by node 1)');
        // The harness did tamper; the honest parties that aborted blame only node 1.
        assert.ok(harnessLog(cluster, M).some((l) => l.tampered === c.behaviour), 'the harness tampered with a message');
        const aborted = aborts();
        if (c.phase !== 'sign') assert.ok(aborted.length >= 1 && aborted.every((l) => l.check === c.check), `aborts naming node ${M}: ${JSON.stringify(aborted)}`);
        for (const p of honest()) {
          const blamedHonest = jsonLines(cluster.nodes[peers.indexOf(p)].log).filter((l) => l.message === 'session aborted' && l.suspect && l.suspect !== cheater);
          assert.deepEqual(blamedHonest, [], `${p} blamed nobody but the cheater`);
        }
        for (const p of honest()) assert.ok(['self', 'connected'].includes((await nodeInfo(client, p)).status), `${p} is still scheduled`);
        if (c.ban) {
          // The victims' own records, as an operator lists them on a running node.
          const victims = info.standing!.filter((s) => s.kind === 'banned').map((s) => peers.indexOf(s.by));
          assert.ok(victims.length >= 1);
          for (const v of victims) {
            const listed = cli(['bans', 'list', '--json', '--home', cluster.nodes[v].home]);
            assert.equal(listed.status, 0, listed.stderr);
            const { records, via } = JSON.parse(listed.stdout);
            assert.equal(via, 'node');
            const record = records.find((r: { peer: string }) => r.peer === cheater);
            assert.equal(record?.kind, 'banned');
            assert.equal(record.check, c.check);
            assert.match(record.evidence?.sha256 ?? '', /^[0-9a-f]{64}$/, 'the offending message is kept as evidence');
            assert.ok(abortsAt(cluster, v, cheater).length === 1, `exactly one aborted session at victim ${v}`);
            // The victim's own metrics show the ban, the abort put on the cheater and the failed session.
            const own = await (await fetch(`${cluster.nodes[v].opsUrl}/metrics`)).text();
            assert.match(own, new RegExp(`^dan_peer_blocked\\{peer="${cheater}",kind="banned",check="${c.check}"\\} 1$`, 'm'));
            assert.match(own, new RegExp(`^dan_peer_aborts_total\\{peer="${cheater}",check="${c.check}"\\} 1$`, 'm'));
            assert.match(own, /^dan_session_duration_seconds_count\{protocol="\w+",outcome="PROTOCOL_ABORTED"\} [1-9]/m);
          }
        }
        const counted = new RegExp(`dan_protocol_aborts_total\\{protocol="\\w+",reason="${c.check}",suspect="${cheater}"\\} [1-9]`);
        // Reports arrive with the nodes' replies; the exclusion may have come first from a node's own list.
        const text = c.phase === 'sign' ? await metrics(cluster) : await until('the abort in /metrics', async () => ((t) => counted.test(t) && t)(await metrics(cluster)));
        assert.match(text, new RegExp(`dan_peer_excluded\\{peer="${cheater}"\\} 1`));
        if (c.ban) assert.match(text, new RegExp(`dan_peer_banned\\{peer="${cheater}"\\} 1`));
      });

      it('the coordinator keeps signing with honest signers; every signature verifies', async () => {
        await signAll(client, key.keyId, key.address, 10, 'after');
      });

      it(`after every process restarts, node ${M} is still shut out and signing works`, async () => {
        await restartAll(cluster, client);
        const info = await until(`dan_nodes to exclude node ${M} after the restart`, async () => {
          const i = await nodeInfo(client, cheater);
          return i.status === (c.ban ? 'banned' : 'blamed') ? i : undefined;
        });
        assert.ok(info.standing?.some((s) => s.check === c.check));
        await signAll(client, key.keyId, key.address, 5, 'restarted');
        const status = await client.presignStatus(key.keyId);
        assert.ok(status.pools.every((p) => !p.signers.includes(M) || p.target === 0), `no pool is filled with node ${M}: ${JSON.stringify(status.pools)}`);
      });
    });
  }
}
