// Abort attribution of the round engine (src/tss/protocols/machine.ts): the round and the evidence
// (the exact envelope bytes received from the named party) that a TssError carries, and
// `waitingFor()`, which names the peers a party still waits for, so a timeout can name them.
// Runs start from snapshots of honest runs (test/helpers/tamper.ts); one delivery is tampered and
// the victim's error must carry the tampered payload as it was delivered.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dan } from '../../src/proto/index.ts';
import { DkgParty, PresignParty, TssError, type KeyShare, type PartyMachine, type Presignature, type RunResult } from '../../src/tss/index.ts';
import { auth, newInstance } from '../helpers/tss.ts';
import * as T from '../helpers/tamper.ts';

/** Runs `snap` with one delivery from -> to replaced by `mutate`; returns the run and the bytes delivered. */
function tamperOnce<Out>(snap: T.Snapshot<Out>, target: T.Target, mutate: T.Mutation): { r: RunResult<Out>; delivered: Uint8Array } {
  let delivered: Uint8Array | undefined;
  const tamper = new T.Tamper(target, (p, d) => (delivered = mutate(p, d)!));
  const r = T.resume(snap, tamper.intercept);
  assert.equal(tamper.hits, 1, 'the tamper fired once');
  return { r, delivered: delivered! };
}

function errorOf(r: RunResult<unknown>, party: number): TssError {
  const e = r.errors.get(party);
  assert.ok(e instanceof TssError, `party ${party} aborted (${T.describeErrors(r)})`);
  return e;
}

describe('abort evidence and round (DKG 2-of-3: S = 2 misbehaves towards V = 1)', () => {
  const S = 2;
  const V = 1;
  const O = 0;
  let st: T.Snapshot<KeyShare>[];
  before(() => {
    const instance = newInstance();
    st = T.stages([0, 1, 2].map((party) => DkgParty.dkg({ instance, threshold: 2, parties: 3, party, auth: auth(party) })), 3);
  });

  it('round 3: a wrong share -> FELDMAN_CHECK_FAILED with round 3 and the tampered envelope as evidence', () => {
    const { r, delivered } = tamperOnce(T.lagging(st[3], V), { from: S, round: 3, to: V }, (p) => T.editBody<dan.tss.DkgRound3>(p, dan.tss.DkgRound3, (m) => (m.share = T.flip(m.share))));
    const e = errorOf(r, V);
    assert.equal(e.code, 'FELDMAN_CHECK_FAILED');
    assert.equal(e.party, S);
    assert.equal(e.round, 3);
    assert.deepEqual(e.evidence, delivered);
    assert.notDeepEqual(e.evidence, T.pending(st[3], S, V), 'the evidence is the tampered message, not the honest one');
  });

  it('round 3: another aggregate polynomial -> BROADCAST_MISMATCH with round 3 and the tampered envelope as evidence', () => {
    const { r, delivered } = tamperOnce(T.lagging(st[3], V), { from: S, round: 3, to: V }, (p) => T.editBody<dan.tss.DkgRound3>(p, dan.tss.DkgRound3, (m) => (m.aggregate[1] = T.randomPoint())));
    const e = errorOf(r, V);
    assert.equal(e.code, 'BROADCAST_MISMATCH');
    assert.equal(e.party, S);
    assert.equal(e.round, 3);
    assert.deepEqual(e.evidence, delivered);
  });

  it('an undecodable envelope -> MALFORMED_MESSAGE with the round being collected and the bytes as received', () => {
    const victim = T.fork(st[2].machines[V]);
    const bad = T.pending(st[2], S, V).slice(0, 40);
    const step = victim.receive(S, bad);
    assert.equal(step.status, 'aborted');
    const e = (step as { error: TssError }).error;
    assert.equal(e.code, 'MALFORMED_MESSAGE');
    assert.equal(e.party, S);
    assert.equal(e.round, 2);
    assert.deepEqual(e.evidence, bad);
  });

  it('a well-formed envelope for a round too far ahead -> UNEXPECTED_MESSAGE with that round and the message as evidence', () => {
    const victim = T.fork(st[1].machines[V]);
    const early = T.pending(st[3], S, V);
    const e = (victim.receive(S, early) as { error: TssError }).error;
    assert.equal(e.code, 'UNEXPECTED_MESSAGE');
    assert.equal(e.round, 3);
    assert.deepEqual(e.evidence, early);
  });

  it('the evidence is a copy: changing the delivered buffer afterwards does not change it', () => {
    const victim = T.fork(st[2].machines[V]);
    const bad = T.pending(st[2], S, V).slice(0, 40);
    const e = (victim.receive(S, bad) as { error: TssError }).error;
    const kept = bad.slice();
    bad.fill(0);
    assert.deepEqual(e.evidence, kept);
  });

  it('an abort that names nobody carries the round but no evidence', () => {
    const m = T.fork(st[1].machines[O]);
    const e = (m.start() as { error: TssError }).error;
    assert.equal(e.code, 'UNEXPECTED_MESSAGE');
    assert.equal(e.party, undefined);
    assert.equal(e.round, 1);
    assert.equal(e.evidence, undefined);
  });

  it('waitingFor names the peers whose message of the current round is missing, round by round, and nobody once closed', () => {
    const victim = T.fork(st[1].machines[V]);
    assert.deepEqual(victim.waitingFor(), [O, S]);
    assert.equal(victim.receive(S, T.pending(st[1], S, V)).status, 'continue');
    assert.deepEqual(victim.waitingFor(), [O], 'S has sent round 1, O has not');
    // O's round-1 message completes round 1; then O's round 2 arrives, S's does not.
    assert.equal(victim.receive(O, T.pending(st[1], O, V)).status, 'continue');
    assert.deepEqual(victim.waitingFor(), [O, S], 'round 1 complete: both round-2 messages are missing');
    assert.equal(victim.receive(O, T.pending(st[2], O, V)).status, 'continue');
    assert.deepEqual(victim.waitingFor(), [S]);
    const aborted = victim.receive(S, T.flip(T.pending(st[2], S, V), 0, 0x10));
    assert.equal(aborted.status, 'aborted');
    assert.deepEqual(victim.waitingFor(), []);
  });
});

describe('abort evidence and round (presign 2-of-3, signers 0 and 2: S = 2 misbehaves towards V = 0)', () => {
  const S = 2;
  const V = 0;
  let st: T.Snapshot<Presignature>[];
  before(() => {
    const instance = newInstance();
    const dkg = T.resume(T.started([0, 1, 2].map((party) => DkgParty.dkg({ instance, threshold: 2, parties: 3, party, auth: auth(party) }))));
    assert.equal(dkg.errors.size, 0, T.describeErrors(dkg));
    const shares = [...dkg.outputs.values()].sort((a, b) => a.party - b.party);
    const presign = newInstance();
    const machines: PartyMachine<Presignature>[] = [0, 2].map((s) => new PresignParty({ instance: presign, keyShare: shares[s], signers: [0, 2], auth: auth(s) }));
    st = T.stages(machines, 3);
  });

  it('round 2: a flipped byte of the OT-extension message -> OT_CHECK_FAILED (ban) with round 2 and the tampered envelope', () => {
    const { r, delivered } = tamperOnce(st[2], { from: S, round: 2, to: V }, (p) => T.editBody<dan.tss.PresignRound2>(p, dan.tss.PresignRound2, (m) => (m.rvole = T.flip(m.rvole, 1234))));
    const e = errorOf(r, V);
    assert.equal(e.code, 'OT_CHECK_FAILED');
    assert.equal(e.party, S);
    assert.equal(e.ban, true);
    assert.equal(e.round, 2);
    assert.deepEqual(e.evidence, delivered);
  });

  it('round 3: another Gamma_u -> RVOLE_CHECK_FAILED (ban) with round 3 and the tampered envelope', () => {
    const { r, delivered } = tamperOnce(st[3], { from: S, round: 3, to: V }, (p) => T.editBody<dan.tss.PresignRound3>(p, dan.tss.PresignRound3, (m) => (m.gammaU = T.randomPoint())));
    const e = errorOf(r, V);
    assert.equal(e.code, 'RVOLE_CHECK_FAILED');
    assert.equal(e.party, S);
    assert.equal(e.ban, true);
    assert.equal(e.round, 3);
    assert.deepEqual(e.evidence, delivered);
    assert.ok(!r.errors.has(S), 'only the victim aborts');
  });

  it('a buffered round-3 message whose round completes together with round 2 -> the error carries round 3 and that message', () => {
    // V, in round 2, gets S's (tampered) round-3 message first: it is buffered; S's round-2 message
    // then completes round 2 and round 3 at once, and round 3 fails.
    const victim = T.fork(st[2].machines.find((m) => m.party === V)!);
    const bad3 = T.editBody<dan.tss.PresignRound3>(T.pending(T.advance(st[2]), S, V, 3), dan.tss.PresignRound3, (m) => (m.gammaV = T.randomPoint()));
    assert.equal(victim.receive(S, bad3).status, 'continue');
    assert.deepEqual(victim.waitingFor(), [S], 'still waiting for the round-2 message');
    const step = victim.receive(S, T.pending(st[2], S, V));
    assert.equal(step.status, 'aborted');
    const e = (step as { error: TssError }).error;
    assert.equal(e.code, 'RVOLE_CHECK_FAILED');
    assert.equal(e.round, 3);
    assert.deepEqual(e.evidence, bad3);
  });
});
