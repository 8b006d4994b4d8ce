// Resharing through real node processes (five configured operators): a master key (with a key
// derived from it) and an isolated key go 2-of-3 -> 3-of-5 -> 2-of-4 with `dan-node keys`, the
// same address every time. A reshare no operator approved is refused; a signing load runs during
// the reshare (at most one request, caught by the switch, fails); quorums that include the new
// nodes sign (a joiner copies the derived records from the dealers); the removed node deletes its
// share, is out of every key and cannot reshare itself back in; a party killed mid-reshare leaves
// the old generation signing, and the re-run succeeds; a lost node is replaced, and added back
// with the stale shares it kept.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { DanClient, KeyGenResult } from '../../src/client/index.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { loadIdentity } from '../../src/net/identity.ts';
import { PeerNetwork, type Operator } from '../../src/net/network.ts';
import { NodeMethod } from '../../src/node/api.ts';
import { cli, signAll, until } from '../byzantine/helpers.ts';
import { startCluster, waitConnected, type Cluster } from '../helpers/cluster.ts';
import { assertRefused } from '../helpers/security.ts';

const BIN = fileURLToPath(new URL('../../bin/dan-node.js', import.meta.url));

/** `dan-node <args>` in a child process, without blocking this one (signing goes on meanwhile). */
function cliAsync(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

describe('reshare through the network: 2-of-3 -> 3-of-5 -> 2-of-4', { timeout: 900_000 }, () => {
  let cluster: Cluster;
  let client: DanClient;
  let ids: string[];
  let master: { keyId: string; publicKey: Hex };
  let derived: KeyGenResult;
  let isolated: KeyGenResult;
  const owner = privateKeyToAccount(generatePrivateKey());
  const home = (i: number) => cluster.nodes[i].home;
  const approveAll = (nodes: number[], change: string[]) => {
    for (const i of nodes) {
      const r = cli(['keys', 'approve', ...change, '--home', home(i)]);
      assert.equal(r.status, 0, r.stderr);
    }
  };
  const keyOf = async (keyId: string) => client.getKey(keyId);
  /** Sign with both keys while only `up` (node indices) run. */
  const signWith = async (up: number[], tag: string) => {
    const down = cluster.nodes.map((_, i) => i).filter((i) => !up.includes(i));
    await Promise.all(down.map((i) => cluster.kill(i)));
    try {
      await until(`${tag}: the coordinator sees nodes ${down.join(', ')} down`, async () => (await client.nodes()).nodes.filter((n) => n.connected).length === up.length);
      await signAll(client, derived.keyId, derived.address, 2, `${tag} derived`);
      await signAll(client, isolated.keyId, isolated.address, 2, `${tag} isolated`);
    } finally {
      for (const i of down) await cluster.restart(i);
      await waitConnected(cluster, cluster.nodes.length);
    }
  };

  before(async () => {
    cluster = await startCluster({ nodes: 5, threshold: 2, nodeConfig: () => ({ timeouts: { keyGenMs: 20_000 } }) });
    client = cluster.client(owner);
    ids = cluster.nodes.map((n) => n.peerId);
    const created = cli(['master', 'create', '--home', home(0), '--threshold', '2', '--parties', ids.slice(0, 3).join(',')]);
    assert.equal(created.status, 0, created.stderr);
    master = JSON.parse(created.stdout);
    derived = await client.keyGen({ threshold: 2, parties: ids.slice(0, 3) });
    assert.equal(derived.derivedFrom, master.keyId);
    isolated = await client.keyGen({ threshold: 2, parties: ids.slice(0, 3), isolated: true });
    await signAll(client, derived.keyId, derived.address, 2, 'before');
    await signAll(client, isolated.keyId, isolated.address, 2, 'before');
  });
  after(() => cluster?.cleanup());

  it('keys list shows the shares a node holds; a reshare its operators did not approve is refused and changes nothing', async () => {
    assert.match(cli(['keys', '--help']).stdout, /dan-node keys add --home DIR --node PEER/);
    const listed = cli(['keys', 'list', '--home', home(0), '--json']);
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout).map((k: { keyId: string }) => k.keyId).sort(), [master.keyId, isolated.keyId].sort());
    assert.equal(JSON.parse(cli(['keys', 'list', '--home', home(4), '--json']).stdout).length, 0);

    // Every node but node 3 approves: node 3 refuses, nothing switches.
    approveAll([0, 1, 2, 4], ['reshare', '--parties', ids.join(','), '--threshold', '3']);
    const refused = cli(['keys', 'reshare', '--home', home(0), '--parties', ids.join(','), '--threshold', '3']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /FAILED \[UNAUTHORIZED\].*has not approved/);
    assert.match(refused.stderr, /done: 0 moved, 0 already there, 0 skipped, 2 failed/);
    assert.equal((await keyOf(isolated.keyId)).threshold, 2);
    await signAll(client, isolated.keyId, isolated.address, 1, 'after refusal');
  });

  it('2-of-3 -> 3-of-5 while signing: same addresses, the new quorums sign, the old generation is gone', async () => {
    approveAll([3], ['reshare', '--parties', ids.join(','), '--threshold', '3']);
    let load = true;
    const latencies: number[] = [];
    const failures: string[] = [];
    const signing = (async () => {
      while (load) {
        const digest = keccak256(toHex(`load ${Math.random()}`));
        const started = performance.now();
        try {
          const sig = await client.sign({ keyId: derived.keyId, digest });
          assert.equal(await recoverAddress({ hash: digest, signature: sig.signature }), derived.address);
          latencies.push(performance.now() - started);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    })();
    const started = performance.now();
    const moved = await cliAsync(['keys', 'reshare', '--home', home(0), '--parties', ids.join(','), '--threshold', '3']);
    const ms = performance.now() - started;
    load = false;
    await signing;
    assert.equal(moved.status, 0, moved.stderr);
    assert.match(moved.stderr, /2-of-3 -> 3-of-5 \(fresh, \d+ ms\)/);
    assert.match(moved.stderr, /done: 2 moved/);
    latencies.sort((a, b) => a - b);
    console.log(`reshare 2-of-3 -> 3-of-5 of 2 keys: ${Math.round(ms)} ms; ${latencies.length} signatures during it, p50 ${Math.round(latencies[latencies.length >> 1] ?? 0)} ms, max ${Math.round(latencies.at(-1) ?? 0)} ms; ${failures.length} failed${failures.length ? `: ${failures.join(' | ')}` : ''}`);
    assert.ok(latencies.length > 0, 'signing went on during the reshare');
    // A request planned with the old generation at the switch reads the key again (STALE_KEY) and
    // plans anew; only a request caught by the switch twice over may fail, and only that way.
    assert.ok(failures.length <= 1 && failures.every((f) => / is at generation [0-9a-f]+ .*, not [0-9a-f]+/.test(f)), `failed requests: ${failures.join(' | ')}`);
    // After the switch: the new generation's pools start empty, so the first signatures presign on demand.
    const firsts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await signAll(client, derived.keyId, derived.address, 1, `after the switch ${i}`);
      firsts.push(Math.round(performance.now() - t0));
    }
    console.log(`first signatures after the switch: ${firsts.join(', ')} ms`);

    for (const k of [derived, isolated]) {
      const info = await keyOf(k.keyId);
      assert.equal(info.address, k.address);
      assert.equal(info.threshold, 3);
      assert.deepEqual(info.nodes, ids);
    }
    // Two joiners and the coordinator; then the three old nodes.
    await signWith([0, 3, 4], '3-of-5 with both new nodes');
    await signWith([0, 1, 2], '3-of-5 with the old nodes');
    // Running it again changes nothing.
    const again = cli(['keys', 'reshare', '--home', home(0), '--parties', ids.join(','), '--threshold', '3']);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /done: 0 moved, 0 already there, 2 skipped/);
  });

  it('3-of-5 -> 2-of-4 without node 2: node 2 deletes its share and is out of the key; the others sign', async () => {
    const before = JSON.parse(cli(['keys', 'list', '--home', home(0), '--json']).stdout) as { keyId: string; generation: string }[];
    const generations = new Map(before.map((k) => [k.keyId, k.generation]));
    approveAll([0, 1, 2, 3, 4], ['remove', '--node', ids[2], '--threshold', '2']);
    const removed = cli(['keys', 'remove', '--home', home(0), '--node', ids[2], '--threshold', '2']);
    assert.equal(removed.status, 0, removed.stderr);
    assert.match(removed.stderr, /3-of-5 -> 2-of-4/);
    assert.equal(JSON.parse(cli(['keys', 'list', '--home', home(2), '--json']).stdout).length, 0, 'node 2 holds no share any more');
    const rest = ids.filter((_, i) => i !== 2);
    for (const k of [derived, isolated]) {
      const info = await keyOf(k.keyId);
      assert.equal(info.address, k.address);
      assert.deepEqual([info.threshold, info.nodes], [2, rest]);
    }
    await signWith([0, 4], '2-of-4 with a joiner');

    // Node 2, with its identity, finds itself out of the key, and cannot vote itself back in.
    await cluster.kill(2);
    const config = JSON.parse(readFileSync(join(home(2), 'config.json'), 'utf8')) as { listen: string[]; operators: Operator[] };
    const { privateKey } = loadIdentity(join(home(2), 'identity.key'));
    const peer = await PeerNetwork.start({ privateKey, listen: config.listen, operators: config.operators, logger: silentLogger });
    try {
      for (const keyId of [master.keyId, isolated.keyId]) {
        const info = await peer.call<{ parties: string[] }>(ids[0], NodeMethod.keyInfo, { keyId }, 10_000);
        assert.ok(!info.parties.includes(ids[2]), `node 0 holds ${keyId} without node 2`);
        const back = { sessionId: randomBytes(32).toString('hex'), keyId, parties: ids, threshold: 3, dealers: rest.slice(0, 2) };
        await assertRefused(peer.call(ids[0], NodeMethod.reshare, back, 10_000), 'UNAUTHORIZED', `node 2 reshares ${keyId} back to itself`);
      }
      // A presign planned with the 3-of-5 generation (a coordinator that read the key before the switch).
      const stale = { sessionId: randomBytes(32).toString('hex'), keyId: isolated.keyId, signers: [0, 1, 2], generation: generations.get(isolated.keyId) };
      await assertRefused(peer.call(ids[0], NodeMethod.presign, stale, 10_000), 'STALE_KEY', 'a presign of the old generation');
    } finally {
      await peer.stop();
      await cluster.restart(2);
      await waitConnected(cluster, 5);
    }
  });

  it('a party killed mid-reshare: the old generation keeps signing, and the re-run succeeds', async () => {
    const rest = ids.filter((_, i) => i !== 2);
    approveAll([0, 1, 3, 4], ['threshold', '--threshold', '3']);
    const running = cliAsync(['keys', 'threshold', '--home', home(0), '--threshold', '3', '--keys', isolated.keyId]);
    await until('the reshare started on node 4', () => readFileSync(join(home(4), 'node.log'), 'utf8').includes('"reshare started"'), 30_000);
    await cluster.kill(4);
    const failed = await running;
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /FAILED/);
    const info = await keyOf(isolated.keyId);
    assert.deepEqual([info.threshold, info.nodes], [2, rest], 'the key is still 2-of-4');
    await signAll(client, isolated.keyId, isolated.address, 3, 'old generation after the failed reshare');
    await cluster.restart(4);
    await waitConnected(cluster, 5);
    // A restart forgets the node's approvals: its operator approves again.
    const forgotten = cli(['keys', 'approvals', '--home', home(4)]);
    assert.deepEqual(JSON.parse(forgotten.stdout).approvals, []);
    approveAll([4], ['threshold', '--threshold', '3']);
    const rerun = cli(['keys', 'threshold', '--home', home(0), '--threshold', '3', '--keys', isolated.keyId]);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.match(rerun.stderr, /2-of-4 -> 3-of-4/);
    assert.equal((await keyOf(isolated.keyId)).threshold, 3);
    await signAll(client, isolated.keyId, isolated.address, 3, 'after the re-run');
  });

  it('node 4 is lost and replaced by node 2; then node 4, with its stale shares, is added back', async () => {
    const before = ids.filter((_, i) => i !== 2); // [0, 1, 3, 4]
    const replaced = [ids[0], ids[1], ids[3], ids[2]];
    await cluster.kill(4);
    approveAll([0, 1, 2, 3], ['replace', '--node', ids[4], '--with', ids[2]]);
    const replace = cli(['keys', 'replace', '--home', home(0), '--node', ids[4], '--with', ids[2]]);
    assert.equal(replace.status, 0, replace.stderr);
    assert.match(replace.stderr, new RegExp(`not told to delete its share \\(down\\): ${ids[4]}`));
    for (const k of [derived, isolated]) assert.deepEqual((await keyOf(k.keyId)).nodes, replaced);
    await cluster.restart(4);
    await waitConnected(cluster, 5);
    await signWith([0, 2, 3], 'with the replacement');

    // Node 4 still holds shares of the generation before the replacement: it joins as the dealers hold the key.
    const stale = JSON.parse(cli(['keys', 'list', '--home', home(4), '--json']).stdout) as { keyId: string; parties: string[] }[];
    assert.deepEqual(stale.map((k) => k.parties), [before, before], 'node 4 kept its stale shares');
    approveAll([0, 1, 2, 3, 4], ['add', '--node', ids[4]]);
    const add = cli(['keys', 'add', '--home', home(0), '--node', ids[4]]);
    assert.equal(add.status, 0, add.stderr);
    assert.match(add.stderr, /done: 2 moved/);
    const generation = (i: number) => Object.fromEntries((JSON.parse(cli(['keys', 'list', '--home', home(i), '--json']).stdout) as { keyId: string; generation: string }[]).map((k) => [k.keyId, k.generation]));
    assert.deepEqual(generation(4), generation(0), 'node 4 holds the generation in use');
    for (const k of [derived, isolated]) assert.deepEqual((await keyOf(k.keyId)).nodes, [...replaced, ids[4]]);
    await signWith([0, 3, 4], 'with the node added back');
  });
});
