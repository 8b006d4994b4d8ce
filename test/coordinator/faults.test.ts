// A node that fails at every point of a remote call, driven deterministically in one process
// (fake nodes, real engine, real coordinator): before doing anything (a rejection, or a throw from
// the call itself), after a delay, after doing the work (its reply lost), or when its connection
// closes while the call is in flight. For presign and sign calls, each fault must end in a valid
// signature through another signer set, never in an unhandled rejection (which would kill the
// coordinator process), and the coordinator must serve the next request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NetError } from '../../src/net/errors.ts';
import { NodeError, NodeMethod } from '../../src/node/api.ts';
import { everyNode } from '../../src/coordinator/signing.ts';
import type { PeerStandings } from '../../src/coordinator/standing.ts';
import { RpcError } from '../../src/rpc/index.ts';
import type { SignResult } from '../../src/rpc/index.ts';
import { coordinator, memoryJournal, network, record as key, request, verifies } from '../helpers/fake-nodes.ts';

type Fault = 'throws' | 'rejects' | 'rejects-later' | 'reply-lost' | 'connection-closed';
const FAULTS: Fault[] = ['throws', 'rejects', 'rejects-later', 'reply-lost', 'connection-closed'];
const lost = (peer: string) => new NetError('PEER_UNAVAILABLE', `connection to ${peer} closed`, { peer });

/** Make `peer` fail its calls of `method` in the way `fault` says. */
function inject(net: ReturnType<typeof network>, peer: string, method: string, fault: Fault): void {
  net.faults.intercept = (to, m, answer) => {
    if (to !== peer || m !== method) return answer();
    switch (fault) {
      case 'throws':
        throw lost(peer); // the call itself throws instead of returning a rejected promise
      case 'rejects':
        return Promise.reject(lost(peer));
      case 'rejects-later':
        return new Promise((_, reject) => setTimeout(() => reject(lost(peer)), 20));
      case 'reply-lost':
        return answer().then(() => Promise.reject(lost(peer)));
      case 'connection-closed':
        return new Promise((_, reject) => setImmediate(() => reject(lost(peer))));
    }
  };
}

describe('a node failing at each point of a call', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  before(() => process.on('unhandledRejection', record));
  after(() => process.off('unhandledRejection', record));

  for (const method of [NodeMethod.presign, NodeMethod.sign]) {
    for (const fault of FAULTS) {
      it(`${method}: ${fault} — another signer set signs, nothing goes unhandled`, async () => {
        const net = network();
        const c = coordinator(net);
        inject(net, 'node-b', method, fault);
        const p = await request(`${method} ${fault}`);
        await verifies(p, (await c.handle('dan_sign', p)) as SignResult);
        // Let every timer and callback of the failed attempt run.
        await new Promise((r) => setTimeout(r, 60));
        assert.deepEqual(unhandled, []);
        net.faults.intercept = undefined;
        const next = await request(`${method} ${fault} after`);
        await verifies(next, (await c.handle('dan_sign', next)) as SignResult);
      });
    }
  }

  it('every signer failing: a typed quorum error naming what was tried, nothing unhandled', async () => {
    const net = network();
    const c = coordinator(net);
    net.faults.intercept = (peer, m, answer) => (m === NodeMethod.sign && peer !== 'node-a' ? Promise.reject(lost(peer)) : answer());
    await assert.rejects(c.handle('dan_sign', await request('all fail')), (e: unknown) => {
      assert.ok(e instanceof RpcError && e.code === -32003, String(e));
      assert.match(e.message, /node-b \(connection to node-b closed\)/, 'the message says which peer failed and why');
      assert.match(e.message, /node-c \(connection to node-c closed\)/);
      assert.deepEqual(new Set((e.data?.tried as { peer: string }[]).map((t) => t.peer)), new Set(['node-b', 'node-c']));
      return true;
    });
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(unhandled, []);
  });

  it('a presignature slower than the request budget: BUSY at the budget, the presignature pooled for the next request', async () => {
    const net = network();
    const c = coordinator(net, undefined, { admission: { sign: { budgetMs: 150 } } });
    let slow = true;
    net.faults.intercept = (_peer, m, answer) => (m === NodeMethod.presign && slow ? new Promise((r) => setTimeout(r, 1500)).then(answer) : answer());
    const t0 = performance.now();
    await assert.rejects(c.handle('dan_sign', await request('slow presign')), (e: unknown) => {
      assert.ok(e instanceof RpcError && e.code === -32009, String(e));
      assert.match(e.message, /no sign answer within 150 ms/);
      return true;
    });
    assert.ok(performance.now() - t0 < 1500, 'answered before the presignature came');
    assert.equal(net.calls.filter((x) => x.method === NodeMethod.sign).length, 0, 'no signer was asked to sign');
    slow = false;
    await new Promise((r) => setTimeout(r, 1600));
    const pooled = c.pools.status(key.keyId).reduce((n, p) => n + p.available, 0);
    assert.equal(pooled, 1, 'the late presignature is in the pool');
    const presigns = net.calls.filter((x) => x.method === NodeMethod.presign).length;
    const next = await request('after the slow presign');
    await verifies(next, (await c.handle('dan_sign', next)) as SignResult);
    assert.equal(net.calls.filter((x) => x.method === NodeMethod.presign).length, presigns, 'signed from the pool, no new presign');
    assert.deepEqual(unhandled, []);
  });

  it('partials slower than the request budget: BUSY at the budget, nothing unhandled when they come', async () => {
    const net = network();
    const c = coordinator(net, undefined, { admission: { sign: { budgetMs: 150 } } });
    net.faults.intercept = (_peer, m, answer) => (m === NodeMethod.sign ? new Promise((r) => setTimeout(r, 1500)).then(answer) : answer());
    const t0 = performance.now();
    await assert.rejects(c.handle('dan_sign', await request('slow partials')), (e: unknown) => e instanceof RpcError && e.code === -32009);
    assert.ok(performance.now() - t0 < 1500, 'answered before the partials came');
    await new Promise((r) => setTimeout(r, 1600));
    assert.deepEqual(unhandled, []);
  });

  it('over capacity, a sign request is refused before the journal is read', async () => {
    const net = network();
    const reads: string[] = [];
    const journal = memoryJournal();
    const watched = { getJournal: (id: string) => (reads.push(id), journal.getJournal(id)), putJournal: journal.putJournal };
    const c = coordinator(net, watched, { admission: { sign: { concurrency: 1, maxQueue: 0 } } });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    net.faults.intercept = (_peer, m, answer) => (m === NodeMethod.presign ? held.then(answer) : answer());
    const first = c.handle('dan_sign', await request('holds the slot'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(reads.length, 1);
    await assert.rejects(c.handle('dan_sign', await request('over capacity')), (e: unknown) => e instanceof RpcError && e.code === -32009);
    assert.equal(reads.length, 1, 'the refused request read nothing');
    release();
    await first;
  });

  it("a session aborted by one node: its own report (naming the suspect) is waited for past the grace period", async () => {
    const standings = { report: async () => [] } as unknown as PeerStandings;
    const answers: Record<string, () => Promise<string>> = {
      // Told by node-a that it aborted: fails at once.
      'node-b': () => Promise.reject(new NodeError('PEER_ABORTED', 'session x: node-a aborted (BROADCAST_MISMATCH)', { peer: 'node-a', check: 'BROADCAST_MISMATCH' })),
      // The aborter answers once its ban is on disk: later than the 300 ms grace.
      'node-a': () => new Promise((_, reject) => setTimeout(() => reject(new NodeError('PROTOCOL_ABORTED', 'keygen aborted: mismatch', { suspect: 'node-c', check: 'BROADCAST_MISMATCH', ban: true })), 700)),
      // The cheater never answers.
      'node-c': () => new Promise(() => {}),
    };
    await assert.rejects(everyNode({ standings }, ['node-a', 'node-b', 'node-c'], 'key generation failed', (peer) => answers[peer]()), (e: unknown) => {
      assert.ok(e instanceof RpcError, String(e));
      assert.equal(e.data?.suspect, 'node-c', e.message);
      return true;
    });
  });

  it("an equivocator's own engine names nobody (its key signed both broadcasts): the honest parties' reports are waited for", async () => {
    const standings = { report: async () => [] } as unknown as PeerStandings;
    const answers: Record<string, () => Promise<string>> = {
      'node-c': () => Promise.reject(new NodeError('PROTOCOL_ABORTED', "keygen aborted: this party's identity key signed another round-1 broadcast", { check: 'BROADCAST_MISMATCH', proof: 'aa' })),
      'node-a': () => new Promise((_, reject) => setTimeout(() => reject(new NodeError('PROTOCOL_ABORTED', 'keygen aborted: party 2 signed two broadcasts', { suspect: 'node-c', check: 'BROADCAST_MISMATCH', proof: 'bb' })), 700)),
      'node-b': () => new Promise((_, reject) => setTimeout(() => reject(new NodeError('PEER_ABORTED', 'session x: node-c aborted (BROADCAST_MISMATCH)', { peer: 'node-c', check: 'BROADCAST_MISMATCH' })), 20)),
    };
    await assert.rejects(everyNode({ standings }, ['node-a', 'node-b', 'node-c'], 'key generation failed', (peer) => answers[peer]()), (e: unknown) => {
      assert.ok(e instanceof RpcError, String(e));
      assert.equal(e.data?.suspect, 'node-c', e.message);
      return true;
    });
  });
});
