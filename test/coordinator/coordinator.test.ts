// The coordinator in one process, against fake nodes behind a fake NodeLink: each fake node runs
// the real engine (shares from an in-process DKG, presignatures from in-process presign sessions)
// and the real request checks (src/requests), and can be told to be down, to fail, or to send a
// wrong partial. Covers scheduling (only live, unexcluded signer sets), failover (another set after
// a failure; the suspect of a wrong partial is blamed and left out), refusal without retry, and
// idempotency (one signature per request id; conflicts; no answer for a bad authorization, from
// memory or from the journal of another coordinator instance).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bytesToHex, type Hex } from 'viem';
import { authorizeRequest } from '../../src/auth/index.ts';
import { NodeMethod } from '../../src/node/api.ts';
import type { SignResult } from '../../src/rpc/index.ts';
import { NET, coordinator, memoryJournal, network, owner, request, rpcError, signersOf, stranger, verifies } from '../helpers/fake-nodes.ts';

describe('coordinator (one process, fake nodes)', () => {
  it('schedules only live signers: with node c down, a and b sign', async () => {
    const net = network();
    net.behaviour.set('node-c', 'down');
    const p = await request('live');
    await verifies(p, await coordinator(net).handle('dan_sign', p) as SignResult);
    assert.deepEqual(signersOf(net), ['node-a', 'node-b']);
  });

  it('fails over to another signer set when a signer is unreachable, and leaves it out', async () => {
    const net = network();
    net.behaviour.set('node-b', 'unavailable');
    const p = await request('failover');
    await verifies(p, await coordinator(net).handle('dan_sign', p) as SignResult);
    const last = net.calls.filter((c) => c.method === NodeMethod.sign).slice(-2).map((c) => c.peer).sort();
    assert.deepEqual(last, ['node-a', 'node-c'], 'the successful attempt left node b out');
  });

  it('blames the signer of a wrong partial, leaves it out, and still returns a valid signature', async () => {
    const net = network();
    net.behaviour.set('node-b', 'wrong-partial');
    const c = coordinator(net);
    const p = await request('wrong partial');
    await verifies(p, await c.handle('dan_sign', p) as SignResult);
    assert.ok(c.standings.excluded('node-b'), 'node b is excluded after its wrong partial');
    assert.ok(!c.standings.excluded('node-c'));
  });

  it('does not retry a refusal (policy): one attempt, the refusal reaches the caller', async () => {
    const net = network();
    net.behaviour.set('node-b', 'policy');
    await assert.rejects(coordinator(net).handle('dan_sign', await request('policy')), rpcError(-32006));
    assert.equal(net.calls.filter((c) => c.method === NodeMethod.sign).length, 2, 'one signer set asked, once');
  });

  it('signs a request id once: a retry gets the same signature, another digest is REQUEST_CONFLICT', async () => {
    const net = network();
    const c = coordinator(net);
    const p = await request('once', owner, { requestId: 'same-id' });
    const first = (await c.handle('dan_sign', p)) as SignResult;
    const signs = net.calls.filter((x) => x.method === NodeMethod.sign).length;
    const retry = await request('once', owner, { requestId: 'same-id' }); // signed again: a fresh auth
    assert.deepEqual(await c.handle('dan_sign', retry), first);
    assert.equal(net.calls.filter((x) => x.method === NodeMethod.sign).length, signs, 'no node was asked again');
    await assert.rejects(c.handle('dan_sign', await request('other digest', owner, { requestId: 'same-id' })), rpcError(-32005));
  });

  it("gives no answer to a repeated request with a stranger's, an expired or a garbage auth — from memory and from the journal", async () => {
    const net = network();
    const journal = memoryJournal();
    const p = await request('replay', owner, { requestId: 'replayed' });
    const first = (await coordinator(net, journal).handle('dan_sign', p)) as SignResult;
    const { auth: _auth, ...unsigned } = p;
    const bad = [
      { ...unsigned, auth: await authorizeRequest(stranger, 'dan_sign', unsigned, { network: NET }) },
      { ...unsigned, auth: await authorizeRequest(owner, 'dan_sign', unsigned, { network: NET, expiry: Math.floor(Date.now() / 1000) - 5 }) },
      { ...unsigned, auth: { signer: owner.address, signature: bytesToHex(randomBytes(65)) as Hex, expiry: Math.floor(Date.now() / 1000) + 60 } },
    ];
    const memory = coordinator(net, journal);
    await memory.handle('dan_sign', p); // in memory now
    const fresh = coordinator(net, journal); // a restarted coordinator: only the journal
    for (const c of [memory, fresh]) {
      for (const params of bad) await assert.rejects(c.handle('dan_sign', params), rpcError(-32001));
      assert.deepEqual(await c.handle('dan_sign', p), first, 'the genuine request still gets its answer');
    }
  });
});
