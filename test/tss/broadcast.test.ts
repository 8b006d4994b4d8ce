// Signed round-1 broadcasts and their echo (src/tss/protocols/echo.ts, machine.ts) and the node's
// BroadcastAuth on its libp2p identity key (broadcastAuth in src/net/identity.ts):
// - broadcastAuth: sign/verify round trip, wrong party, tampered message or signature, unknown
//   party, a key that is not the session's party, and whole engine runs on node identities;
// - the attribution rule of checkEcho, branch by branch, with a toy signature scheme;
// - verifyEquivocationProof accepts only real proofs;
// - equivocation in a 2-of-4 DKG: every honest party names the equivocator, the evidence holds
//   both signed messages exactly;
// - the engine refuses to run without a BroadcastAuth or when signing fails.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import type { PrivateKey } from '@libp2p/interface';
import { broadcastAuth } from '../../src/net/identity.ts';
import { dan } from '../../src/proto/index.ts';
import {
  DkgParty,
  PresignParty,
  TssError,
  broadcastStatement,
  combineSignature,
  runParties,
  verifyEquivocationProof,
  type BroadcastAuth,
  type KeyShare,
  type Presignature,
} from '../../src/tss/index.ts';
import { checkEcho, type EchoContext, type SignedBroadcast } from '../../src/tss/protocols/echo.ts';
import { ProtocolKind } from '../../src/tss/protocols/machine.ts';
import { auth, keys, newInstance, signedAs } from '../helpers/tss.ts';
import * as T from '../helpers/tamper.ts';

const isCode = (code: string, party?: number) => (e: unknown) => {
  assert.ok(e instanceof TssError, `expected a TssError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  assert.equal(e.party, party, e.message);
  return true;
};
const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

// ------------------------------------------------------------------------------ node identities

describe('broadcastAuth on libp2p Ed25519 identities', () => {
  let ids: PrivateKey[];
  let peers: string[];
  before(async () => {
    ids = await Promise.all([0, 1, 2].map(() => generateKeyPair('Ed25519')));
    peers = ids.map((k) => peerIdFromPrivateKey(k).toString());
  });

  it('sign/verify round trip; wrong party, tampered message or signature, unknown party -> false', () => {
    const a0 = broadcastAuth(ids[0], 0, peers);
    const a1 = broadcastAuth(ids[1], 1, peers);
    const message = new Uint8Array(Buffer.from('a round-1 statement'));
    const sig = a0.sign(message);
    assert.equal(sig.length, 64);
    assert.ok(sig instanceof Uint8Array);
    assert.equal(a1.verify(0, message, sig), true, 'another party verifies party 0');
    assert.equal(a0.verify(0, message, sig), true, 'and so does party 0 itself');
    assert.equal(a1.verify(1, message, sig), false, 'wrong party');
    assert.equal(a1.verify(2, message, sig), false, 'wrong party');
    assert.equal(a1.verify(0, T.flip(message, 3), sig), false, 'tampered message');
    assert.equal(a1.verify(0, message, T.flip(sig, 10)), false, 'tampered signature');
    assert.equal(a1.verify(0, message, sig.subarray(1)), false, 'short signature');
    assert.equal(a1.verify(0, message, new Uint8Array()), false, 'empty signature');
    assert.equal(a1.verify(3, message, sig), false, 'no such party');
    assert.equal(a1.verify(-1, message, sig), false, 'no such party');
    assert.equal(a1.verify(0.5, message, sig), false, 'no such party');
    // The same as libp2p's own verification of the identity key.
    assert.equal(ids[0].publicKey.verify(message, sig), true);
  });

  it('the signature is the identity key\'s own Ed25519 signature (same bytes as libp2p signs)', async () => {
    const message = new Uint8Array(Buffer.from('deterministic'));
    assert.deepEqual(Buffer.from(broadcastAuth(ids[2], 2, peers).sign(message)), Buffer.from(await ids[2].sign(message)));
  });

  it('a key that is not the peer id of party `self` is refused', async () => {
    assert.throws(() => broadcastAuth(ids[0], 1, peers), /not this node's identity/);
    assert.throws(() => broadcastAuth(ids[0], 3, peers), /not this node's identity/);
    const secp = await generateKeyPair('secp256k1');
    assert.throws(() => broadcastAuth(secp, 0, [peerIdFromPrivateKey(secp).toString()]), /Ed25519/);
  });

  it('a party whose peer id is malformed or not Ed25519 never verifies', async () => {
    const secp = await generateKeyPair('secp256k1');
    const mixed = [peers[0], 'not-a-peer-id', peerIdFromPrivateKey(secp).toString()];
    const a = broadcastAuth(ids[0], 0, mixed);
    const message = bytes(1, 2, 3);
    assert.equal(a.verify(1, message, a.sign(message)), false);
    assert.equal(a.verify(2, message, await secp.sign(message)), false);
    assert.equal(a.verify(0, message, a.sign(message)), true);
  });

  it('the caller changing its peer list afterwards does not change the auth', () => {
    const list = [...peers];
    const a = broadcastAuth(ids[0], 0, list);
    const message = bytes(9);
    const sig = broadcastAuth(ids[1], 1, peers).sign(message);
    list[1] = peers[2];
    assert.equal(a.verify(1, message, sig), true);
  });

  it('DKG 2-of-3, refresh and a presign run on the node identities; the signature combines', () => {
    const auths = ids.map((k, i) => broadcastAuth(k, i, peers));
    const instance = newInstance();
    const d = runParties([0, 1, 2].map((party) => DkgParty.dkg({ instance, threshold: 2, parties: 3, party, auth: auths[party] })));
    assert.equal(d.errors.size, 0, T.describeErrors(d));
    let shares = [...d.outputs.values()].sort((a, b) => a.party - b.party);
    const inst = newInstance();
    const r2 = runParties(shares.map((keyShare) => DkgParty.refresh({ instance: inst, keyShare, auth: auths[keyShare.party] })));
    assert.equal(r2.errors.size, 0, T.describeErrors(r2));
    shares = [...r2.outputs.values()].sort((a, b) => a.party - b.party);
    const pinst = newInstance();
    const p = runParties([0, 2].map((s) => new PresignParty({ instance: pinst, keyShare: shares[s], signers: [0, 2], auth: auths[s] })));
    assert.equal(p.errors.size, 0, T.describeErrors(p));
    const digest = new Uint8Array(32).fill(7);
    const partials = [...p.outputs].map(([s, x]) => x.sign(shares[s], digest));
    assert.equal(combineSignature({ publicKey: shares[0].publicKey, digest, partials }).signature.length, 65);
  });

  it('a party whose auth holds another identity than the session expects is named on receipt (BAD_BROADCAST_SIGNATURE)', async () => {
    const stranger = await generateKeyPair('Ed25519');
    const instance = newInstance();
    // Party 2 runs with a key that is not the one in peers[2] (e.g. a misconfigured node).
    const wrong = broadcastAuth(stranger, 2, [...peers.slice(0, 2), peerIdFromPrivateKey(stranger).toString()]);
    const auths = [broadcastAuth(ids[0], 0, peers), broadcastAuth(ids[1], 1, peers), wrong];
    const r = runParties([0, 1, 2].map((party) => DkgParty.dkg({ instance, threshold: 2, parties: 3, party, auth: auths[party] })));
    for (const p of [0, 1]) T.assertAbort(r, { victim: p, code: 'BAD_BROADCAST_SIGNATURE', blame: 2 });
  });
});

// ------------------------------------------------------------------------------ the rule, branch by branch

describe('checkEcho: the attribution rule with a toy signature scheme', () => {
  // Toy scheme: a signature is [party, tag...] and verifies when its first byte is the party and
  // the statement's last byte (the body's last byte) is not 0xff. So "another valid signature on
  // the same body" exists (any tag), which Ed25519 signers never produce honestly.
  const verify = (party: number, message: Uint8Array, signature: Uint8Array): boolean => signature.length >= 1 && signature[0] === party && message[message.length - 1] !== 0xff;
  const ctx: EchoContext = { instance: new Uint8Array(32).fill(1), protocol: ProtocolKind.PRESIGN, parties: [1, 4, 6], self: 4, verify };
  const R = 4;
  const E = 6;
  const P = 1;
  const mine = new Map<number, SignedBroadcast>([
    [1, { body: bytes(1, 1), signature: bytes(1, 0) }],
    [4, { body: bytes(4, 4), signature: bytes(4, 0) }],
    [6, { body: bytes(6, 6), signature: bytes(6, 0) }],
  ]);
  const echo = (edit: (e: SignedBroadcast[]) => void = () => {}): SignedBroadcast[] => {
    const e = ctx.parties.map((p) => ({ ...mine.get(p)! }));
    edit(e);
    return e;
  };
  const run = (edit: (e: SignedBroadcast[]) => void) => () => checkEcho(ctx, mine, echo(edit), E);
  const proofOf = (f: () => void): TssError => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof TssError);
      return e;
    }
    assert.fail('no abort');
  };

  it('the same echo -> no abort', () => checkEcho(ctx, mine, echo(), E));
  it('another valid signature on the same body -> no abort (the views agree)', () => checkEcho(ctx, mine, echo((e) => (e[0].signature = bytes(P, 99))), E));
  it('an entry with an invalid signature on the same body -> names the echo sender', () => assert.throws(run((e) => (e[0].signature = bytes(9, 0))), isCode('BROADCAST_MISMATCH', E)));
  it('another body, not validly signed, for a third party -> names the echo sender', () => assert.throws(run((e) => (e[0] = { body: bytes(1, 0xff), signature: bytes(P) })), isCode('BROADCAST_MISMATCH', E)));
  it("another body, not validly signed, for the receiver's entry -> names the echo sender", () => assert.throws(run((e) => (e[1] = { body: bytes(5), signature: bytes(P) })), isCode('BROADCAST_MISMATCH', E)));
  it('another body validly signed by a third party -> names it, with a proof', () => {
    const e = proofOf(run((x) => (x[0] = { body: bytes(1, 2), signature: bytes(P, 5) })));
    assert.equal(e.code, 'BROADCAST_MISMATCH');
    assert.equal(e.party, P);
    assert.equal(e.proof, true);
    const proof = dan.tss.EquivocationProof.decode(e.evidence!);
    assert.deepEqual({ party: proof.party, first: proof.first, second: proof.second, protocol: proof.protocol }, {
      party: P,
      first: dan.tss.SignedBroadcast.create({ body: bytes(1, 1), signature: bytes(1, 0) }),
      second: dan.tss.SignedBroadcast.create({ body: bytes(1, 2), signature: bytes(P, 5) }),
      protocol: ProtocolKind.PRESIGN,
    });
    assert.deepEqual(proof.instance, ctx.instance);
    assert.equal(verifyEquivocationProof(e.evidence!, verify)?.party, P);
  });
  it('another body validly signed by the echo sender itself -> names it, with a proof', () => {
    const e = proofOf(run((x) => (x[2] = { body: bytes(6, 7), signature: bytes(E) })));
    assert.equal(e.party, E);
    assert.equal(e.proof, true);
  });
  it("another body validly signed with the receiver's own key -> names nobody, proof against its own key", () => {
    const e = proofOf(run((x) => (x[1] = { body: bytes(4, 5), signature: bytes(R) })));
    assert.equal(e.code, 'BROADCAST_MISMATCH');
    assert.equal(e.party, undefined);
    assert.equal(e.proof, true);
    assert.equal(verifyEquivocationProof(e.evidence!, verify)?.party, R);
  });
  it('an invalid entry wins over a proof (the echo sender is named when it lied anywhere)', () => {
    assert.throws(run((x) => {
      x[0] = { body: bytes(1, 2), signature: bytes(P) };
      x[2] = { body: bytes(6, 0xff), signature: bytes(E) };
    }), isCode('BROADCAST_MISMATCH', E));
  });
  it("a proof against a third party wins over one against the receiver's key", () => {
    const e = proofOf(run((x) => {
      x[0] = { body: bytes(1, 2), signature: bytes(P) };
      x[1] = { body: bytes(4, 5), signature: bytes(R) };
    }));
    assert.equal(e.party, P);
  });
  it('wrong number of entries -> MALFORMED_MESSAGE naming the echo sender', () => {
    assert.throws(run((x) => void x.pop()), isCode('MALFORMED_MESSAGE', E));
    assert.throws(run((x) => void x.push(x[0])), isCode('MALFORMED_MESSAGE', E));
  });
});

describe('verifyEquivocationProof', () => {
  const instance = newInstance();
  const body = (b: number) => dan.tss.PresignRound1.encode({ sid: new Uint8Array(32).fill(b), commitment: new Uint8Array(32).fill(b) }).finish();
  const signed = (party: number, b: number, signer = party) => dan.tss.SignedBroadcast.decode(signedAsBy(party, b, signer));
  const signedAsBy = (party: number, b: number, signer: number) => {
    const m = body(b);
    return dan.tss.SignedBroadcast.encode({ body: m, signature: keys.sign(signer, broadcastStatement(instance, ProtocolKind.PRESIGN, party, m)) }).finish();
  };
  const proof = (p: Partial<dan.tss.EquivocationProof.$Properties>) =>
    dan.tss.EquivocationProof.encode({ instance, protocol: ProtocolKind.PRESIGN, party: 3, first: signed(3, 1), second: signed(3, 2), ...p }).finish();
  const check = (b: Uint8Array) => verifyEquivocationProof(b, (party, m, s) => keys.verify(party, m, s));

  it('two different bodies signed by the party -> the run and the party', () => {
    const r = check(proof({}));
    assert.deepEqual(r && { ...r, instance: [...r.instance] }, { instance: [...instance], protocol: ProtocolKind.PRESIGN, party: 3 });
  });
  it('the same body twice -> not a proof', () => assert.equal(check(proof({ second: signed(3, 1) })), undefined));
  it('another party named -> not a proof', () => assert.equal(check(proof({ party: 2 })), undefined));
  it('one message signed by another key -> not a proof', () => assert.equal(check(proof({ second: signed(3, 2, 2) })), undefined));
  it('another instance or protocol -> not a proof', () => {
    assert.equal(check(proof({ instance: newInstance() })), undefined);
    assert.equal(check(proof({ protocol: ProtocolKind.DKG })), undefined);
  });
  it('a message missing, or undecodable bytes -> not a proof', () => {
    assert.equal(check(proof({ second: null })), undefined);
    assert.equal(check(bytes(0x0a, 0x40)), undefined);
    assert.equal(check(new Uint8Array()), undefined);
  });
  it('the statement is DOMAIN || instance || u32be(protocol) || u32be(party) || body', () => {
    const s = broadcastStatement(instance, 3, 0x01020304, bytes(0xaa, 0xbb));
    const domain = Buffer.from('dan-node/tss/v1/round-1 broadcast\0');
    assert.deepEqual(Buffer.from(s), Buffer.concat([domain, instance, Buffer.from([0, 0, 0, 3, 1, 2, 3, 4, 0xaa, 0xbb])]));
    assert.throws(() => broadcastStatement(new Uint8Array(31), 3, 0, bytes()), RangeError);
  });
});

// ------------------------------------------------------------------------------ equivocation, end to end

describe('equivocation in a 2-of-4 DKG: S signs a different round-1 broadcast for each peer', () => {
  const S = 3;
  it('every honest party names S, with both signed messages as evidence; S names nobody', () => {
    const instance = newInstance();
    const sent = new Map<number, Uint8Array>(); // what S's network layer delivered to each peer
    let honest: Uint8Array | undefined; // what S's engine signed
    const r = runParties([0, 1, 2, 3].map((party) => DkgParty.dkg({ instance, threshold: 2, parties: 4, party, auth: auth(party) })), {
      intercept: (d) => {
        if (d.from !== S || d.round !== 1) return undefined;
        honest ??= T.open(d.payload).body;
        // A fresh sid per peer, signed with S's key (the network layer holds it).
        const out = T.editSigned(d.payload, dan.tss.DkgRound1, (m) => (m.sid = new Uint8Array(32).fill(d.to + 1)));
        sent.set(d.to, T.open(out).body);
        return out;
      },
    });
    assert.equal(sent.size, 3);
    assert.equal(r.outputs.size, 0);
    for (const p of [0, 1, 2]) {
      const e = T.assertAbort(r, { victim: p, code: 'BROADCAST_MISMATCH', blame: S });
      assert.equal(e.proof, true);
      assert.equal(e.round, 2);
      assert.equal(verifyEquivocationProof(e.evidence!, (q, m, s) => keys.verify(q, m, s))?.party, S);
      const proof = dan.tss.EquivocationProof.decode(e.evidence!);
      assert.equal(proof.party, S);
      assert.equal(proof.protocol, ProtocolKind.DKG);
      assert.deepEqual(proof.instance, instance);
      // first: what p received; second: what another party (or S's own echo) received.
      assert.deepEqual(dan.tss.SignedBroadcast.encode(proof.first!).finish(), sent.get(p));
      const second = dan.tss.SignedBroadcast.encode(proof.second!).finish();
      assert.ok([...sent.values(), honest!].some((b) => Buffer.from(b).equals(Buffer.from(second))), 'the second message is one S signed');
      assert.notDeepEqual(second, sent.get(p));
    }
    const own = T.assertAbort(r, { victim: S, code: 'BROADCAST_MISMATCH', blame: 'unattributed' });
    assert.equal(own.proof, true);
    assert.equal(verifyEquivocationProof(own.evidence!, (q, m, s) => keys.verify(q, m, s))?.party, S);
  });

  it('the same run with the tampered broadcasts left unsigned -> each peer names S on receipt (BAD_BROADCAST_SIGNATURE), with the envelope as evidence', () => {
    const instance = newInstance();
    const delivered = new Map<number, Uint8Array>();
    const r = runParties([0, 1, 2, 3].map((party) => DkgParty.dkg({ instance, threshold: 2, parties: 4, party, auth: auth(party) })), {
      intercept: (d) => {
        if (d.from !== S || d.round !== 1) return undefined;
        const out = T.editSigned(d.payload, dan.tss.DkgRound1, (m) => (m.sid = new Uint8Array(32).fill(d.to + 1)), { keepSignature: true });
        delivered.set(d.to, out);
        return out;
      },
    });
    for (const p of [0, 1, 2]) {
      const e = T.assertAbort(r, { victim: p, code: 'BAD_BROADCAST_SIGNATURE', blame: S });
      assert.equal(e.round, 1);
      assert.deepEqual(e.evidence, delivered.get(p));
      assert.ok(!e.proof);
    }
    assert.ok(!r.errors.has(S), 'S waits for round-2 messages that never come');
  });

  it('signedAs (test helper) builds what a party holding its key can send', () => {
    const instance = newInstance();
    const body = dan.tss.PresignRound1.encode({ sid: new Uint8Array(32), commitment: new Uint8Array(32) }).finish();
    const m = dan.tss.SignedBroadcast.decode(signedAs(2, instance, ProtocolKind.PRESIGN, body));
    assert.ok(keys.verify(2, broadcastStatement(instance, ProtocolKind.PRESIGN, 2, body), m.signature));
  });
});

// ------------------------------------------------------------------------------ parameters

describe('the engine requires a working BroadcastAuth', () => {
  let shares: KeyShare[];
  before(() => {
    const instance = newInstance();
    const r = runParties([0, 1].map((party) => DkgParty.dkg({ instance, threshold: 2, parties: 2, party, auth: auth(party) })));
    assert.equal(r.errors.size, 0, T.describeErrors(r));
    shares = [...r.outputs.values()].sort((a, b) => a.party - b.party);
  });

  it('no auth -> INVALID_PARAMETERS at construction (DKG, refresh, presign)', () => {
    const none = undefined as unknown as BroadcastAuth;
    assert.throws(() => DkgParty.dkg({ instance: newInstance(), threshold: 2, parties: 2, party: 0, auth: none }), isCode('INVALID_PARAMETERS'));
    assert.throws(() => DkgParty.refresh({ instance: newInstance(), keyShare: shares[0], auth: none }), isCode('INVALID_PARAMETERS'));
    assert.throws(() => new PresignParty({ instance: newInstance(), keyShare: shares[0], signers: [0, 1], auth: { sign: () => new Uint8Array(64) } as unknown as BroadcastAuth }), isCode('INVALID_PARAMETERS'));
  });

  it('sign throws or returns nothing usable -> start() aborts with INVALID_PARAMETERS (naming nobody)', () => {
    const throwing: BroadcastAuth = { sign: () => { throw new Error('key unavailable'); }, verify: () => true };
    const empty: BroadcastAuth = { sign: () => new Uint8Array(), verify: () => true };
    for (const a of [throwing, empty]) {
      const step = new PresignParty({ instance: newInstance(), keyShare: shares[0], signers: [0, 1], auth: a }).start();
      assert.equal(step.status, 'aborted');
      const e = (step as { error: TssError }).error;
      assert.equal(e.code, 'INVALID_PARAMETERS');
      assert.equal(e.party, undefined);
    }
  });

  it('a verify that throws counts as an invalid signature (BAD_BROADCAST_SIGNATURE), it does not escape', () => {
    const instance = newInstance();
    const throwing: BroadcastAuth = { sign: (m) => auth(0).sign(m), verify: () => { throw new Error('boom'); } };
    const a = new PresignParty({ instance, keyShare: shares[0], signers: [0, 1], auth: throwing });
    const b = new PresignParty({ instance, keyShare: shares[1], signers: [0, 1], auth: auth(1) });
    a.start();
    const fromB = b.start() as { messages: { payload: Uint8Array }[] };
    const step = a.receive(1, fromB.messages[0].payload);
    assert.equal(step.status, 'aborted');
    assert.equal((step as { error: TssError }).error.code, 'BAD_BROADCAST_SIGNATURE');
  });

  it('presignatures made with the test keys sign (sanity of the helper keys across runs)', () => {
    const instance = newInstance();
    const r = runParties([0, 1].map((s) => new PresignParty({ instance, keyShare: shares[s], signers: [0, 1], auth: auth(s) })));
    assert.equal(r.errors.size, 0, T.describeErrors(r));
    const digest = new Uint8Array(32).fill(3);
    const partials = [...(r.outputs as Map<number, Presignature>)].map(([s, x]) => x.sign(shares[s], digest));
    assert.equal(combineSignature({ publicKey: shares[0].publicKey, digest, partials }).signature.length, 65);
  });
});
