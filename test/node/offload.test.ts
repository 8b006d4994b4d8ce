// Parties on engine worker threads (src/node/offload): a DKG among three worker-backed parties yields
// shares that sign; a refresh keeps the public key; a reshare hands a joiner a share and the leaver none; presign parties make presignatures that sign, also
// the next time with the share the worker kept; the event loop runs while a round computes; an abort
// crosses the thread with its code, suspect, ban and evidence; a worker that dies fails the steps in
// flight (INTERNAL) and the next party gets a new worker.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { identitySigningKey } from '../../src/net/identity.ts';
import { NodeError } from '../../src/node/api.ts';
import { EngineThread } from '../../src/node/offload/index.ts';
import type { SessionMachine } from '../../src/node/sessions.ts';
import { dan } from '../../src/proto/index.ts';
import { silentLogger } from '../../src/log/logger.ts';
import type { KeyShare, Step, TssError } from '../../src/tss/index.ts';
import { newInstance, presign, sign } from '../helpers/tss.ts';
import { open, seal } from '../helpers/tamper.ts';
import { encodeScalar, decodeScalar, Q } from '../../src/tss/math/scalar.ts';

interface Run<T> {
  outputs: Map<number, T>;
  errors: Map<number, TssError>;
  /** Timer ticks that fired while some step was being computed on the worker. */
  ticksDuringSteps: number;
}

/** Deliver every message until all parties are done or aborted; `tamper` may replace a message. */
async function run<T>(parties: SessionMachine<T>[], tamper: (from: number, to: number, payload: Uint8Array) => Uint8Array = (_f, _t, p) => p): Promise<Run<T>> {
  const outputs = new Map<number, T>();
  const errors = new Map<number, TssError>();
  let ticks = 0;
  let ticksDuringSteps = 0;
  const timer = setInterval(() => ticks++, 1);
  const queue: { from: number; to: number; payload: Uint8Array }[] = [];
  const take = async (p: SessionMachine<T>, step: Promise<Step<T>> | Step<T>) => {
    const before = ticks;
    const s = await step;
    ticksDuringSteps += ticks - before;
    if (s.status === 'aborted') return void errors.set(p.party, s.error);
    if (s.status === 'done') outputs.set(p.party, s.output);
    for (const m of s.messages) for (const to of m.to === 'all' ? p.peers : [m.to]) queue.push({ from: p.party, to, payload: tamper(p.party, to, m.payload) });
  };
  try {
    await Promise.all(parties.map((p) => take(p, p.start())));
    while (queue.length) {
      const { from, to, payload } = queue.shift()!;
      if (errors.has(to) || outputs.has(to)) continue;
      const party = parties.find((p) => p.party === to)!;
      await take(party, party.receive(from, payload));
    }
  } finally {
    clearInterval(timer);
  }
  return { outputs, errors, ticksDuringSteps };
}

describe('parties on engine worker threads', () => {
  let engines: EngineThread[];
  let peers: string[];
  let keys: PrivateKey[];
  before(async () => {
    keys = await Promise.all([0, 1, 2].map(() => generateKeyPair('Ed25519')));
    peers = keys.map((k) => peerIdFromPrivateKey(k).toString());
    engines = keys.map((k) => new EngineThread(identitySigningKey(k), silentLogger));
  });
  after(() => Promise.all(engines.map((e) => e.stop())));

  const dkgParties = (instance = newInstance()) => engines.map((e, party) => e.dkg({ instance, threshold: 2, parties: 3, party }, peers));

  it('a DKG yields shares of one key that sign, with the event loop running meanwhile; a refresh keeps the key; presignatures made there sign', async () => {
    const { outputs, errors, ticksDuringSteps } = await run(dkgParties());
    assert.deepEqual([...errors], []);
    const shares = [0, 1, 2].map((i) => outputs.get(i)!);
    assert.ok(shares.every((s) => Buffer.from(s.publicKey).equals(Buffer.from(shares[0].publicKey))));
    assert.ok(ticksDuringSteps > 0, 'timers fired while rounds were computed (the loop was not blocked)');
    const digest = new Uint8Array(32).fill(7);
    sign(shares, presign(shares, [0, 2]), digest); // combineSignature verifies
    const instance = newInstance();
    const refreshed = await run(engines.map((e, i) => e.refresh({ instance, keyShare: shares[i] }, peers)));
    assert.deepEqual([...refreshed.errors], []);
    const fresh = [0, 1, 2].map((i) => refreshed.outputs.get(i)!);
    assert.ok(fresh.every((s) => Buffer.from(s.publicKey).equals(Buffer.from(shares[0].publicKey))), 'same public key');
    assert.notEqual(fresh[0].share, shares[0].share, 'new shares');
    sign(fresh, presign(fresh, [1, 2]), digest);
    // Presign parties on the workers, twice with the same shares (the second time from the worker's copy).
    for (const signers of [[0, 2], [0, 2], [1, 2]]) {
      const session = newInstance();
      const made = await run(signers.map((i) => engines[i].presign({ instance: session, keyShare: fresh[i], signers }, peers)));
      assert.deepEqual([...made.errors], []);
      assert.equal(made.outputs.size, 2);
      sign(fresh, made.outputs, digest);
    }
  });

  it('a reshare crosses the thread: a joiner told the current generation, a dealer that leaves, new shares that sign', async () => {
    const { outputs } = await run(dkgParties());
    const shares = [0, 1, 2].map((i) => outputs.get(i)!);
    // Engine 0 keeps its place, engine 1 deals and leaves, engine 2 joins as new party 1.
    const members = [{ old: 0, new: 0 }, { old: 1 }, { new: 1 }];
    const current = { threshold: 2, publicKey: shares[0].publicKey, generation: shares[0].generation, xs: shares[0].xs, publicShares: shares[0].publicShares };
    const instance = newInstance();
    const r = await run(engines.map((e, party) => e.reshare({ instance, members, threshold: 2, party, ...(party < 2 ? { keyShare: shares[party] } : { current }) }, peers)));
    assert.deepEqual([...r.errors], []);
    assert.equal(r.outputs.get(1)!.share, undefined, 'the leaving dealer gets no share');
    assert.deepEqual(r.outputs.get(1)!.generation, r.outputs.get(0)!.generation);
    const fresh = [r.outputs.get(0)!.share!, r.outputs.get(2)!.share!];
    assert.deepEqual(fresh.map((s) => s.party), [0, 1]);
    assert.ok(fresh.every((s) => Buffer.from(s.publicKey).equals(Buffer.from(shares[0].publicKey))), 'same public key');
    sign(fresh, presign(fresh, [0, 1]), new Uint8Array(32).fill(9));
  });

  it("an abort crosses the thread whole: code, suspect, round and the offending message as evidence", async () => {
    let sent: Uint8Array | undefined;
    // Party 2 sends party 0 a DKG share off its committed polynomial (round 3).
    const { errors } = await run(dkgParties(), (from, to, payload) => {
      const o = open(payload);
      if (from !== 2 || to !== 0 || o.header.round !== 3) return payload;
      const m = dan.tss.DkgRound3.decode(o.body);
      m.share = encodeScalar((decodeScalar(m.share, 'share') + 1n) % Q);
      return (sent = seal({ header: o.header, body: dan.tss.DkgRound3.encode(m).finish() }));
    });
    const e = errors.get(0);
    assert.ok(e, 'party 0 aborted');
    assert.equal(e.name, 'TssError');
    assert.equal(e.code, 'FELDMAN_CHECK_FAILED');
    assert.equal(e.party, 2);
    assert.equal(e.ban, false);
    assert.equal(e.round, 3);
    assert.match(e.message, /\(party 2\)$/);
    assert.doesNotMatch(e.message, /\(party 2\) \(party 2\)/);
    assert.ok(sent && e.evidence && Buffer.from(e.evidence).equals(Buffer.from(sent)), 'evidence is the message as received');
  });

  it('a worker that dies fails the steps in flight with INTERNAL; the next party gets a new worker', async () => {
    const engine = new EngineThread(identitySigningKey(keys[0]), silentLogger);
    const party = engine.dkg({ instance: newInstance(), threshold: 2, parties: 3, party: 0 }, peers);
    const started = party.start();
    await engine.stop(); // while the worker is still loading: the step cannot have been answered
    await assert.rejects(Promise.resolve(started), (e: unknown) => e instanceof NodeError && e.code === 'INTERNAL' && /engine worker stopped/.test(e.message));
    const instance = newInstance();
    const { outputs, errors } = await run([engine, engines[1], engines[2]].map((e, i) => e.dkg({ instance, threshold: 2, parties: 3, party: i }, peers)));
    await engine.stop();
    assert.deepEqual([...errors], []);
    assert.equal(outputs.size, 3);
  });
});
