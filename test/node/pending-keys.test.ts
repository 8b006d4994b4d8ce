// The node's side of all-or-nothing key creation (src/node/pending-keys.ts), in one process: three
// nodes with real stores and identity keys, calls between them routed in memory. A commit needs
// every party's acknowledgement of the run; node.keyStatus answers the key's parties only; settling
// follows the rule (committed anywhere or pending everywhere -> commit, absent somewhere -> discard,
// no answer -> keep).
// Assumes: os.tmpdir() is a local filesystem; no network, no DKG (pending keys are written directly).
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { silentLogger } from '../../src/log/logger.ts';
import { NetError } from '../../src/net/errors.ts';
import { nodeSigner } from '../../src/net/identity.ts';
import { NodeError, keyGenAckStatement, type KeyStatusReply } from '../../src/node/api.ts';
import { KeyCache, type NodeContext } from '../../src/node/context.ts';
import { keyGenCommit, keyStatus, settlePendingKey, startPendingKeyRecovery } from '../../src/node/pending-keys.ts';
import { NodeStore } from '../../src/store/index.ts';
import { SECRET, keyMeta, rand, tempRoot } from '../store/helpers.ts';

const tmp = tempRoot();
after(() => tmp.cleanup());

const code = (c: string) => (e: unknown) => {
  if (e instanceof NodeError && e.code === c) return true;
  throw new Error(`expected NodeError ${c}, got ${(e as Error)?.stack ?? String(e)}`);
};

interface Node {
  ctx: NodeContext;
  sign(statement: Uint8Array): Promise<Uint8Array>;
}

describe('pending keys: commit, status, settling', () => {
  const nodes: Node[] = [];
  let parties: string[];
  /** Peers whose calls fail (down), and answers replaced by a test (a lying or odd peer). */
  const down = new Set<string>();
  const forged = new Map<string, KeyStatusReply>();
  let keyId: string;
  let session: string;
  let publicKey: string;

  before(async () => {
    const keys = await Promise.all([0, 1, 2].map(() => generateKeyPair('Ed25519')));
    parties = keys.map((k) => peerIdFromPrivateKey(k).toString());
    for (const [i, privateKey] of keys.entries()) {
      const store = await NodeStore.open({ path: tmp.db(), secret: SECRET });
      const signer = nodeSigner(privateKey);
      const ctx = {
        self: parties[i],
        store,
        signer,
        timeouts: { keyGenMs: 1000, presignMs: 1000 },
        keys: new KeyCache(store),
        log: silentLogger,
        peers: {
          operators: parties,
          call: async (peer: string, method: string, body: unknown) => {
            if (down.has(peer)) throw new NetError('PEER_UNAVAILABLE', `${peer} is down`, { peer, method });
            if (forged.has(peer)) return forged.get(peer);
            assert.equal(method, 'node.keyStatus');
            return keyStatus(nodes[parties.indexOf(peer)].ctx, body as never, parties[i]);
          },
        },
      } as unknown as NodeContext;
      nodes.push({ ctx, sign: signer.sign });
    }
  });
  after(() => Promise.all(nodes.map((n) => n.ctx.store.close())));

  beforeEach(() => {
    down.clear();
    forged.clear();
    keyId = `key_${randomBytes(8).toString('hex')}`;
    session = randomBytes(32).toString('hex');
    publicKey = `02${randomBytes(32).toString('hex')}`;
  });

  /** Node i stores the run's key pending. */
  const holdPending = (i: number) =>
    nodes[i].ctx.store.putPendingKey({ keyId, meta: keyMeta(keyId, { publicKey, parties, party: i, keyGenSession: session }), share: rand(64) }, session);
  const ack = async (i: number) => Buffer.from(await nodes[i].sign(keyGenAckStatement(keyId, session, publicKey))).toString('hex');
  const allAcks = async () => Object.fromEntries(await Promise.all(parties.map(async (p, i) => [p, await ack(i)] as const)));
  const state = async (i: number) => {
    const { store } = nodes[i].ctx;
    if (await store.getKey(keyId)) return 'committed';
    return (await store.getPendingKey(keyId)) ? 'pending' : 'absent';
  };

  it('a commit needs a valid acknowledgement from every party; it is idempotent', async () => {
    await Promise.all([0, 1, 2].map(holdPending));
    const acks = await allAcks();
    const { [parties[2]]: _missing, ...two } = acks;
    await assert.rejects(keyGenCommit(nodes[0].ctx, { keyId, sessionId: session, acks: two }), code('KEYGEN_MISMATCH'));
    await assert.rejects(keyGenCommit(nodes[0].ctx, { keyId, sessionId: session, acks: { ...acks, [parties[2]]: acks[parties[1]] } }), code('KEYGEN_MISMATCH'), "another party's signature");
    await assert.rejects(keyGenCommit(nodes[0].ctx, { keyId, sessionId: randomBytes(32).toString('hex'), acks }), code('KEYGEN_MISMATCH'), 'another run');
    assert.equal(await state(0), 'pending');

    assert.deepEqual(await keyGenCommit(nodes[0].ctx, { keyId, sessionId: `0x${session}`, acks }), { keyId, status: 'committed' });
    assert.deepEqual(await keyGenCommit(nodes[0].ctx, { keyId, sessionId: session, acks }), { keyId, status: 'committed' }, 'again: the same answer');
    const k = await nodes[0].ctx.store.getKey(keyId);
    assert.deepEqual(k?.meta.keyGenAcks, acks);
    assert.ok((await nodes[0].ctx.store.listKeys()).some((m) => m.keyId === keyId), 'listed once committed');
  });

  it("node.keyStatus answers the key's parties only, about one run", async () => {
    await holdPending(0);
    const outsider = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString();
    await assert.rejects(keyStatus(nodes[0].ctx, { keyId, sessionId: session }, outsider), code('NOT_A_PARTY'));
    const reply = await keyStatus(nodes[0].ctx, { keyId, sessionId: session }, parties[1]);
    assert.deepEqual(reply, { keyId, status: 'pending', publicKey, acks: { [parties[0]]: await ack(0) } });
    assert.deepEqual(await keyStatus(nodes[0].ctx, { keyId, sessionId: randomBytes(32).toString('hex') }, parties[1]), { keyId, status: 'absent' }, 'another run');
    assert.deepEqual(await keyStatus(nodes[1].ctx, { keyId, sessionId: session }, parties[0]), { keyId, status: 'absent' }, 'a node that never stored it');
    await assert.rejects(keyStatus(nodes[0].ctx, { keyId, sessionId: 'nope' }, parties[1]), code('BAD_CALL'));
  });

  it('every party pending: settling commits it (and the others follow: a party has it committed)', async () => {
    await Promise.all([0, 1, 2].map(holdPending));
    assert.equal(await settlePendingKey(nodes[0].ctx, keyId, session, 'test'), 'committed');
    assert.deepEqual((await nodes[0].ctx.store.getKey(keyId))?.meta.keyGenAcks, await allAcks());
    down.add(parties[2]); // node 1 follows node 0 even with node 2 unreachable
    assert.equal(await settlePendingKey(nodes[1].ctx, keyId, session, 'test'), 'committed');
    down.clear();
    assert.equal(await settlePendingKey(nodes[2].ctx, keyId, session, 'test'), 'committed');
    assert.deepEqual(await Promise.all([0, 1, 2].map(state)), ['committed', 'committed', 'committed']);
  });

  it('some party never stored it: settling discards it everywhere', async () => {
    await Promise.all([0, 1].map(holdPending));
    assert.equal(await settlePendingKey(nodes[0].ctx, keyId, session, 'test'), 'discarded');
    assert.equal(await settlePendingKey(nodes[1].ctx, keyId, session, 'test'), 'discarded');
    assert.deepEqual(await Promise.all([0, 1, 2].map(state)), ['absent', 'absent', 'absent']);
  });

  it('a party that does not answer, or an answer that does not check out: the key stays pending', async () => {
    await Promise.all([0, 1, 2].map(holdPending));
    down.add(parties[2]);
    assert.equal(await settlePendingKey(nodes[0].ctx, keyId, session, 'test'), 'pending');
    down.clear();
    forged.set(parties[2], { keyId, status: 'committed', publicKey, acks: {} }); // "committed", without the acknowledgements
    assert.equal(await settlePendingKey(nodes[0].ctx, keyId, session, 'test'), 'pending');
    forged.set(parties[2], { keyId, status: 'pending', publicKey, acks: { [parties[2]]: await ack(1) } }); // another party's signature
    assert.equal(await settlePendingKey(nodes[0].ctx, keyId, session, 'test'), 'pending');
    forged.set(parties[2], { keyId, status: 'running' });
    assert.equal(await settlePendingKey(nodes[0].ctx, keyId, session, 'test'), 'pending');
    assert.deepEqual(await Promise.all([0, 1, 2].map(state)), ['pending', 'pending', 'pending']);
    forged.clear();
    assert.equal(await settlePendingKey(nodes[0].ctx, keyId, session, 'test'), 'committed');
  });

  it("recovery at start settles the keys a crash left, not one this process's DKG just stored", async () => {
    await Promise.all([0, 1, 2].map(holdPending));
    const left = keyId;
    await sleep(5);
    // A long DKG deadline: only the first pass (2 s after start) may settle anything in this test.
    const recovery = startPendingKeyRecovery({ ...nodes[0].ctx, timeouts: { ...nodes[0].ctx.timeouts, keyGenMs: 60_000 } } as NodeContext);
    try {
      keyId = `key_${randomBytes(8).toString('hex')}`; // stored after start, its coordinator still confirming it
      await Promise.all([0, 1, 2].map(holdPending));
      const deadline = Date.now() + 10_000;
      while (!(await nodes[0].ctx.store.getKey(left))) {
        assert.ok(Date.now() < deadline, 'the key left pending before start is committed by the first pass');
        await sleep(50);
      }
      assert.equal(await state(0), 'pending', 'the key stored after start is left to its coordinator');
    } finally {
      recovery.stop();
    }
  });
});
