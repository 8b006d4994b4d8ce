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
import { bytesToHex, keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { authorizeRequest, VerifiedRequests } from '../../src/auth/index.ts';
import { Coordinator, type NodeLink, type RequestJournal } from '../../src/coordinator/coordinator.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { NetError } from '../../src/net/errors.ts';
import { NodeError, NodeMethod, publicValuesToWire, type KeyRecord, type PresignCall, type SignCall } from '../../src/node/api.ts';
import { addressOfPublicKey } from '../../src/node/keygen.ts';
import { authorizeSign } from '../../src/requests/index.ts';
import type { DanParams, SignResult } from '../../src/rpc/index.ts';
import type { KeyShare, Presignature } from '../../src/tss/index.ts';
import { dkg, presign } from '../helpers/tss.ts';

const NET = 'unit';
const PEERS = ['node-a', 'node-b', 'node-c'];
const owner = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const shares = dkg(2, 3);
const publicKey = bytesToHex(shares[0].publicKey);
const record: KeyRecord = {
  keyId: 'key_unit',
  publicKey,
  address: addressOfPublicKey(publicKey),
  threshold: 2,
  parties: PEERS,
  party: 0,
  owner: owner.address,
  authorizedSigners: [],
  expiresAt: 0,
  requestId: 'kg',
  createdAt: 0,
};

type Behaviour = 'honest' | 'down' | 'unavailable' | 'wrong-partial' | 'policy';

/** Three fake nodes sharing one key; presign sessions run in process when their first signer is asked. */
function network() {
  const behaviour = new Map<string, Behaviour>(PEERS.map((p) => [p, 'honest']));
  const pools = new Map<string, Map<string, Presignature>>(PEERS.map((p) => [p, new Map()]));
  const sessions = new Map<string, Map<number, Presignature>>();
  const calls: { peer: string; method: string }[] = [];
  const verified = new VerifiedRequests(NET);
  const node = (peer: string): { share: KeyShare; party: number } => ({ share: shares[PEERS.indexOf(peer)], party: PEERS.indexOf(peer) });
  const link: NodeLink = {
    self: PEERS[0],
    operators: PEERS,
    isLive: (peer) => behaviour.get(peer) !== 'down',
    lastSeen: () => undefined,
    async call<T>(peer: string, method: string, body: unknown): Promise<T> {
      calls.push({ peer, method });
      const b = behaviour.get(peer);
      if (b === 'down' || (b === 'unavailable' && method === NodeMethod.sign)) throw new NetError('PEER_UNAVAILABLE', `cannot reach ${peer}`);
      const { share, party } = node(peer);
      switch (method) {
        case NodeMethod.keyInfo:
          return { ...record, party } as T;
        case NodeMethod.peerRecords:
          return { records: [] } as T;
        case NodeMethod.presignatures:
          return { presignatures: [...pools.get(peer)!.values()].map((p) => ({ id: hex(p.id), signers: p.signers, noncePoint: hex(p.noncePoint), publicValues: publicValuesToWire(p.publicValues) })) } as T;
        case NodeMethod.presign: {
          const { sessionId, signers } = body as PresignCall;
          if (!sessions.has(sessionId)) sessions.set(sessionId, presign(shares, signers));
          const mine = sessions.get(sessionId)!.get(party)!;
          pools.get(peer)!.set(hex(mine.id), mine);
          return { presignatureId: hex(mine.id), noncePoint: hex(mine.noncePoint), publicValues: publicValuesToWire(mine.publicValues) } as T;
        }
        case NodeMethod.sign: {
          const { presignatureId, request } = body as SignCall;
          const authorized = authorizeSign(request, record, { verified });
          if (b === 'policy') throw new NodeError('POLICY_VIOLATION', 'refused by policy');
          const p = pools.get(peer)!.get(presignatureId);
          if (!p) throw new NodeError('PRESIGNATURE_UNAVAILABLE', 'no such presignature');
          pools.get(peer)!.delete(presignatureId);
          const digest = b === 'wrong-partial' ? keccak256(authorized.digest) : authorized.digest;
          return { partial: hex(p.sign(share, Buffer.from(digest.slice(2), 'hex'))) } as T;
        }
      }
      throw new Error(`unexpected ${method}`);
    },
  };
  return { link, behaviour, calls, verified };
}

function memoryJournal(): RequestJournal {
  const entries = new Map<string, { requestHash: string; result?: unknown }>();
  return { getJournal: async (id) => entries.get(id), putJournal: async (id, e) => void entries.set(id, e) };
}

function coordinator(net: ReturnType<typeof network>, journal = memoryJournal()): Coordinator {
  return new Coordinator(net.link, {
    timeouts: { keyGenMs: 5000, presignMs: 5000, signMs: 2000 },
    pool: { depth: 0, sets: 1, concurrency: 1, lowWater: 0 }, // no background refill: every signature presigns on demand
    verified: net.verified,
    journal,
    recordBlame: async () => {},
    log: silentLogger,
  });
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const digestOf = (tag: string) => keccak256(toHex(`coordinator ${tag}`));
const request = async (tag: string, who = owner, o: { requestId?: string; expiry?: number } = {}): Promise<DanParams<'dan_sign'>> => {
  const p = { keyId: record.keyId, digest: digestOf(tag), requestId: o.requestId ?? `r-${tag.replace(/ /g, '-')}` };
  return { ...p, auth: await authorizeRequest(who, 'dan_sign', p, { network: NET, ...(o.expiry ? { expiry: o.expiry } : {}) }) };
};
const signersOf = (net: ReturnType<typeof network>) => [...new Set(net.calls.filter((c) => c.method === NodeMethod.sign).map((c) => c.peer))].sort();
const verifies = async (p: DanParams<'dan_sign'>, r: SignResult) => assert.equal(await recoverAddress({ hash: p.digest, signature: r.signature }), record.address);
const rpcError = (code: number) => (e: unknown) => (e as { code?: number }).code === code;

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
