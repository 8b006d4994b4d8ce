// The peer guard and the session router on a real LevelDB store, with a scripted party machine and
// an in-memory transport: a ban-worthy abort bans the peer in memory at once and on disk before the
// session rejects; every other session with the peer ends; nothing more is done with it (sessions
// refused, frames dropped); other attributable aborts and time-outs of connected peers are counted
// and suspend the peer over the limit; per-peer limits on early frames; a lifted ban marks the
// shared keys for a refresh; bans survive a reload.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../src/log/logger.ts';
import type { SessionAbort, SessionFrame } from '../../src/net/network.ts';
import { NodeError } from '../../src/node/api.ts';
import { PeerGuard } from '../../src/node/guard.ts';
import { SessionRouter, type EarlyFrameLimits } from '../../src/node/sessions.ts';
import { NodeStore } from '../../src/store/index.ts';
import { TssError, type PartyMachine, type Step } from '../../src/tss/index.ts';
import { SECRET, keyMeta, rand, tempRoot } from '../store/helpers.ts';

const tmp = tempRoot();
after(() => tmp.cleanup());

const SELF = 'node-a';
const PEERS = ['node-a', 'node-b', 'node-c'];
const BAN = 0xff; // payload byte: the machine aborts with a ban-worthy check naming the sender
const DEVIATE = 0xfe; // payload byte: an attributable abort that does not ban

/** A party that aborts on the marker bytes above and otherwise waits for one message per peer. */
class ScriptedParty implements PartyMachine<string> {
  readonly peers: number[];
  private readonly got = new Set<number>();
  constructor(readonly party = 0, n = 3) {
    this.peers = Array.from({ length: n }, (_, i) => i).filter((i) => i !== party);
  }
  start(): Step<string> {
    return { status: 'continue', messages: [{ to: 'all', payload: Uint8Array.of(1) }] };
  }
  receive(from: number, payload: Uint8Array): Step<string> {
    if (payload[0] === BAN || payload[0] === DEVIATE) {
      const e = new TssError(payload[0] === BAN ? 'OT_CHECK_FAILED' : 'INVALID_PROOF', 'scripted failure', from, payload[0] === BAN);
      e.round = 2;
      e.evidence = payload;
      return { status: 'aborted', error: e };
    }
    this.got.add(from);
    return this.got.size === this.peers.length ? { status: 'done', messages: [], output: 'done' } : { status: 'continue', messages: [] };
  }
  waitingFor(): number[] {
    return this.peers.filter((p) => !this.got.has(p));
  }
}

class Wire {
  sent: { peer: string; frame: SessionFrame }[] = [];
  aborts: { peer: string; abort: SessionAbort }[] = [];
  disconnected = new Set<string>();
  async sendSession(peer: string, frame: SessionFrame) {
    this.sent.push({ peer, frame });
  }
  async sendAbort(peer: string, abort: SessionAbort) {
    this.aborts.push({ peer, abort });
  }
  isConnected(peer: string) {
    return !this.disconnected.has(peer);
  }
}

async function setup(o: { maxAbortsPerHour?: number; limits?: EarlyFrameLimits; sessions?: Record<string, number> } = {}) {
  const path = tmp.db();
  const store = await NodeStore.open({ path, secret: SECRET });
  const guard = await PeerGuard.load({ self: SELF, store, maxAbortsPerHour: o.maxAbortsPerHour ?? 10, log: silentLogger });
  const wire = new Wire();
  const router = new SessionRouter(wire, SELF, guard, silentLogger, o.limits, o.sessions);
  return { path, store, guard, wire, router };
}

const sid = () => new Uint8Array(randomBytes(32));
const frame = (session: Uint8Array, fromParty: number, byte: number, size = 1): SessionFrame => {
  const payload = new Uint8Array(size);
  payload[0] = byte;
  return { session, fromParty, payload };
};
const code = (c: string, check?: (e: NodeError) => void) => (e: unknown) => {
  assert.ok(e instanceof NodeError, `a NodeError, got ${String(e)}`);
  assert.equal(e.code, c, e.message);
  check?.(e);
  return true;
};

describe('peer guard and session router', () => {
  it('a ban-worthy abort: stored with its evidence before the session rejects; the peer is shut out everywhere', async () => {
    const { store, guard, wire, router } = await setup();
    const attacked = sid();
    const other = sid();
    const first = router.run(attacked, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign', keyId: 'key-1' });
    const second = assert.rejects(router.run(other, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign', keyId: 'key-1' }), code('PEER_BANNED'));
    const evidence = frame(attacked, 2, BAN, 100);
    router.onFrame('node-c', evidence);
    let storedAtRejection: unknown;
    await assert.rejects(
      first.catch(async (e) => {
        storedAtRejection = await store.listPeerRecords();
        throw e;
      }),
      code('PROTOCOL_ABORTED', (e) => {
        assert.equal(e.context.suspect, 'node-c');
        assert.equal(e.context.ban, true);
        assert.equal(e.context.check, 'OT_CHECK_FAILED');
        assert.equal(e.context.round, 2);
      }),
    );
    const [record] = storedAtRejection as Awaited<ReturnType<NodeStore['listPeerRecords']>>;
    assert.equal(record?.peer, 'node-c', 'the ban was on disk when the session rejected');
    assert.equal(record.kind, 'banned');
    assert.equal(record.by, SELF);
    assert.equal(record.check, 'OT_CHECK_FAILED');
    assert.equal(record.keyId, 'key-1');
    assert.equal(record.evidence?.bytes, 100);
    assert.equal(record.evidence?.copy, Buffer.from(evidence.payload).toString('hex'));
    // The concurrent session with the same peer ended, the others were told, the banned peer was not.
    await second;
    assert.ok(wire.aborts.some((a) => a.peer === 'node-b'), 'node-b was told the session ended');
    assert.ok(!wire.aborts.some((a) => a.peer === 'node-c'), 'the banned peer is not told anything');
    // No new session with it, and its frames are dropped.
    await assert.rejects(router.run(sid(), new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' }), code('PEER_BANNED'));
    router.onFrame('node-c', frame(sid(), 2, 1));
    assert.equal(router.dropped.get('blocked_peer'), 1);
    assert.throws(() => guard.assertUsable(['node-b', 'node-c'], 'keyGen'), code('PEER_BANNED'));
    // A second ban-worthy abort elsewhere keeps the first evidence.
    await guard.ban({ peer: 'node-c', check: 'RVOLE_CHECK_FAILED', reason: 'again', protocol: 'presign', session: 'x' });
    assert.equal((await store.listPeerRecords())[0].check, 'OT_CHECK_FAILED');
    await store.close();
  });

  it('a session with a banned peer is refused and its other parties told; sessions without it go on; bans survive a reload', async () => {
    const { path, store, guard, wire, router } = await setup();
    await guard.ban({ peer: 'node-c', check: 'PPRF_CHECK_FAILED', reason: 'x', protocol: 'keygen', session: 's' });
    // A session with it is refused here, and its other parties are told at once (they must not time
    // out on this node and blame it); the banned peer is told nothing.
    const refused = sid();
    await assert.rejects(router.run(refused, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' }), code('PEER_BANNED', (e) => assert.equal(e.context.peer, 'node-c')));
    assert.deepEqual(wire.aborts.map((a) => [a.peer, a.abort.abort, Buffer.from(a.abort.session).equals(refused)]), [['node-b', 'PEER_BANNED', true]]);
    await assert.rejects(router.run(refused, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' }), code('BAD_CALL'), 'its id is used up');
    const pair = ['node-a', 'node-b'];
    const s = sid();
    const running = router.run(s, new ScriptedParty(0, 2), pair, 10_000, { protocol: 'presign' });
    router.onFrame('node-b', frame(s, 1, 1));
    assert.equal(await running, 'done');
    await store.close();
    const again = await NodeStore.open({ path, secret: SECRET });
    const reloaded = await PeerGuard.load({ self: SELF, store: again, maxAbortsPerHour: 10, log: silentLogger });
    assert.equal(reloaded.blocked('node-c')?.check, 'PPRF_CHECK_FAILED');
    assert.equal(reloaded.blocked('node-b'), undefined);
    await again.close();
  });

  it('attributable aborts that do not ban are counted; over the limit the peer is suspended', async () => {
    const { store, guard, router } = await setup({ maxAbortsPerHour: 2 });
    for (let i = 0; i < 3; i++) {
      const s = sid();
      const running = router.run(s, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' });
      router.onFrame('node-b', frame(s, 1, DEVIATE));
      await assert.rejects(running, code('PROTOCOL_ABORTED', (e) => assert.equal(e.context.ban, false)));
      assert.equal(guard.blocked('node-b')?.kind, i < 2 ? undefined : 'suspended', `after ${i + 1} aborts`);
    }
    const [record] = await store.listPeerRecords();
    assert.equal(record.kind, 'suspended');
    assert.equal(record.check, 'ABORT_LIMIT');
    assert.equal(record.aborts?.length, 3);
    await store.close();
  });

  it('a time-out names the silent parties; only connected ones are counted', async () => {
    const { store, wire, router } = await setup({ maxAbortsPerHour: 10 });
    wire.disconnected.add('node-b');
    const s = sid();
    const running = router.run(s, new ScriptedParty(), PEERS, 100, { protocol: 'presign' });
    await assert.rejects(running, code('TIMEOUT', (e) => {
      assert.deepEqual(e.context.waitingFor, ['node-b', 'node-c']);
      assert.deepEqual(e.context.suspects, ['node-c']);
    }));
    const recent = await store.recordAbort('node-c', { at: Date.now(), code: 'probe' }, 3_600_000);
    assert.deepEqual(recent.map((a) => a.code), ['TIMEOUT', 'probe'], 'the connected silent peer was counted once');
    assert.deepEqual(await store.recordAbort('node-b', { at: Date.now(), code: 'probe' }, 3_600_000).then((r) => r.length), 1, 'the disconnected one was not');
    await store.close();
  });

  it("a peer's abort notice ends the session without blaming anyone", async () => {
    const { store, router } = await setup();
    const s = sid();
    const running = router.run(s, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' });
    router.onFrame('node-b', { session: s, fromParty: 1, abort: 'OT_CHECK_FAILED' });
    await assert.rejects(running, code('PEER_ABORTED', (e) => assert.equal(e.context.peer, 'node-b')));
    assert.deepEqual(await store.listPeerRecords(), []);
    await store.close();
  });

  it('early frames: at most framesPerPeer and bytesPerPeer per peer; excess dropped and counted', async () => {
    const limits = { framesPerPeer: 3, bytesPerPeer: 100, sessions: 3, ttlMs: 30_000 };
    const { store, router } = await setup({ limits });
    const s = sid();
    for (let i = 0; i < 5; i++) router.onFrame('node-b', frame(s, 1, 1, 10));
    assert.equal(router.dropped.get('peer_frames'), 2);
    router.onFrame('node-c', frame(sid(), 2, 1, 101));
    assert.equal(router.dropped.get('peer_bytes'), 1);
    for (let i = 0; i < 3; i++) router.onFrame('node-c', frame(sid(), 2, 1, 1));
    assert.equal(router.dropped.get('sessions'), 1, 'at most 3 sessions buffered in all (node-b holds one)');
    // The buffered frames are delivered when the session starts, and free the peer's budget.
    const running = router.run(s, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' });
    router.onFrame('node-c', frame(s, 2, 1));
    assert.equal(await running, 'done');
    for (let i = 0; i < 3; i++) router.onFrame('node-b', frame(sid(), 1, 1, 10));
    assert.equal(router.dropped.get('peer_frames'), 2, 'node-b may buffer again');
    await store.close();
  });

  it('lifting a ban: the peer is usable again, every key shared with it needs a refresh', async () => {
    const { store, guard } = await setup();
    await store.putKey({ keyId: 'shared', meta: keyMeta('shared', { parties: ['node-a', 'node-c'] }), share: rand(64) });
    await store.putKey({ keyId: 'other', meta: keyMeta('other', { parties: ['node-a', 'node-b'] }), share: rand(64) });
    await guard.ban({ peer: 'node-c', check: 'OT_CHECK_FAILED', reason: 'x', protocol: 'presign', session: 's' });
    await guard.blame({ peer: 'node-c', by: 'node-b', since: Date.now(), check: 'INVALID_PROOF', reason: 'reported' });
    const { lifted, keys } = await guard.lift('node-c');
    assert.deepEqual(lifted.map((r) => r.kind).sort(), ['banned', 'blamed']);
    assert.deepEqual(keys, ['shared']);
    assert.equal(guard.blocked('node-c'), undefined);
    assert.deepEqual((await store.getKey('shared'))?.meta.refreshRequired, ['node-c']);
    assert.equal((await store.getKey('other'))?.meta.refreshRequired, undefined);
    assert.deepEqual(await store.listPeerRecords(), []);
    await store.close();
  });
});

describe('session router: capacity and lost connections', () => {
  it('refuses a session over its protocol limit with BUSY and tells its other parties; other protocols still start', async () => {
    const { store, wire, router } = await setup({ sessions: { presign: 1 } });
    const first = sid();
    const running = router.run(first, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' });
    const refused = sid();
    await assert.rejects(router.run(refused, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' }), code('BUSY', (e) => assert.ok(Number(e.context.retryAfterMs) > 0)));
    const told = wire.aborts.filter((a) => Buffer.from(a.abort.session).equals(Buffer.from(refused)));
    assert.deepEqual(told.map((a) => [a.peer, a.abort.abort]).sort(), [['node-b', 'BUSY'], ['node-c', 'BUSY']]);
    assert.equal(router.refused, 1);
    const keygen = sid();
    const other = router.run(keygen, new ScriptedParty(), PEERS, 10_000, { protocol: 'keygen' });
    for (const s of [first, keygen]) {
      router.onFrame('node-b', frame(s, 1, 1));
      router.onFrame('node-c', frame(s, 2, 1));
    }
    assert.equal(await running, 'done');
    assert.equal(await other, 'done');
    await store.close();
  });

  it('an abort that arrives before the session starts here ends it at its start (a busy party refused it)', async () => {
    const { store, router } = await setup();
    const s = sid();
    router.onFrame('node-b', { session: s, fromParty: 1, abort: 'BUSY' });
    await assert.rejects(router.run(s, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' }), code('PEER_ABORTED', (e) => assert.equal(e.context.check, 'BUSY')));
    // An abort from a peer that is not a party of the session changes nothing.
    const t = sid();
    router.onFrame('node-x', { session: t, fromParty: 1, abort: 'BUSY' });
    const running = router.run(t, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' });
    router.onFrame('node-b', frame(t, 1, 1));
    router.onFrame('node-c', frame(t, 2, 1));
    assert.equal(await running, 'done');
    await store.close();
  });

  it('a lost connection ends every session with that peer at once, blames nobody, and tells the others', async () => {
    const { store, guard, wire, router } = await setup({ maxAbortsPerHour: 1 });
    const withC = sid();
    const withoutC = sid();
    const ended = router.run(withC, new ScriptedParty(), PEERS, 10_000, { protocol: 'presign' });
    const pair = router.run(withoutC, new ScriptedParty(0, 2), ['node-a', 'node-b'], 10_000, { protocol: 'presign' });
    router.peerLost('node-c');
    await assert.rejects(ended, code('PEER_UNAVAILABLE', (e) => assert.equal(e.context.peer, 'node-c')));
    assert.ok(wire.aborts.some((a) => a.peer === 'node-b' && Buffer.from(a.abort.session).equals(Buffer.from(withC))), 'node-b was told');
    router.onFrame('node-b', frame(withoutC, 1, 1));
    assert.equal(await pair, 'done', 'a session without the lost peer goes on');
    assert.doesNotThrow(() => guard.assertUsable(['node-b', 'node-c'], 'presign'), 'nobody was counted against or suspended');
    await store.close();
  });

  it("a peer's abort waits for the frames that arrived before it: a check they fail still names its culprit", async () => {
    const { store, router } = await setup();
    const inner = new ScriptedParty();
    const pending: (() => void)[] = [];
    const later = <T,>(f: () => T) => new Promise<T>((resolve) => pending.push(() => resolve(f())));
    const party = { party: 0, peers: inner.peers, start: () => later(() => inner.start()), receive: (from: number, p: Uint8Array) => later(() => inner.receive(from, p)), waitingFor: () => inner.waitingFor() };
    const session = sid();
    const done = router.run(session, party, PEERS, 10_000, { protocol: 'keygen' });
    router.onFrame('node-c', frame(session, 2, DEVIATE)); // held while start() computes
    router.onFrame('node-b', { session, fromParty: 1, abort: 'BROADCAST_MISMATCH' }); // node-b gave up first
    while (pending.length) {
      pending.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await assert.rejects(done, code('PROTOCOL_ABORTED', (e) => assert.equal(e.context.suspect, 'node-c')));
    await store.close();
  });

  it('a party whose steps resolve later: frames applied in arrival order, held frames capped, closed when the session ends here', async () => {
    const { store, wire, router } = await setup();
    // Wraps ScriptedParty: every step resolves only when released, in order.
    const inner = new ScriptedParty();
    const order: number[] = [];
    const pending: (() => void)[] = [];
    let closed = 0;
    const later = <T,>(f: () => T) => new Promise<T>((resolve) => pending.push(() => resolve(f())));
    const party = {
      party: 0,
      peers: inner.peers,
      start: () => later(() => inner.start()),
      receive: (from: number, payload: Uint8Array) => later(() => (order.push(from), inner.receive(from, payload))),
      waitingFor: () => inner.waitingFor(),
      close: () => void closed++,
    };
    const session = sid();
    const done = router.run(session, party, PEERS, 10_000, { protocol: 'keygen' });
    router.onFrame('node-c', frame(session, 2, 1));
    router.onFrame('node-b', frame(session, 1, 1));
    for (let i = 0; i < 300; i++) router.onFrame('node-b', frame(session, 1, 1)); // a flood while start() is pending
    assert.equal(pending.length, 1, 'nothing else runs while a step is pending');
    assert.equal(router.dropped.get('peer_frames'), 302 - 256, 'frames held back beyond the cap are dropped');
    while (pending.length) {
      pending.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(await done, 'done');
    assert.deepEqual(order.slice(0, 2), [2, 1], 'applied in arrival order');
    assert.ok(wire.sent.length > 0, "the start step's messages were sent");
    assert.equal(closed, 1, 'the party is closed when its session ends');
    await store.close();
  });
});
