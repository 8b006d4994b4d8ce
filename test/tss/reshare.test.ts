// Resharing (src/tss/protocols/reshare.ts): a key moves to another party set and threshold with
// the same public key: 2-of-3 -> 3-of-5 -> 2-of-4; every quorum of the new generation signs, the
// old generation's shares do not work with the new ones, a dealer that leaves gets no share.
// Misbehaving parties are named: a dealer that changes its share of the key, a dealer that sends
// a receiver a share off its polynomial, a party holding another current generation; too few
// dealers or inconsistent public data are refused before anything is sent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { dan } from '../../src/proto/index.ts';
import { PresignParty, ReshareParty, TssError, runParties, type GenerationPublic, type KeyShare, type ReshareMember, type ReshareOutput, type RunOptions } from '../../src/tss/index.ts';
import { auth, dkg, newInstance, presign, sign, subsets } from '../helpers/tss.ts';

const digest = () => new Uint8Array(randomBytes(32));
const publicOf = (k: KeyShare): GenerationPublic => ({ threshold: k.threshold, publicKey: k.publicKey, generation: k.generation, xs: k.xs, publicShares: k.publicShares });

/** Run a reshare of `shares` among `members` (session party i: members[i]) to threshold t. */
function reshare(shares: KeyShare[], members: ReshareMember[], t: number, o: { tamper?: RunOptions; keyShareOf?: (i: number) => KeyShare | undefined } = {}) {
  const instance = newInstance();
  const current = publicOf(shares[0]);
  const parties = members.map((m, party) => new ReshareParty({ instance, members, threshold: t, party, keyShare: o.keyShareOf ? o.keyShareOf(party) : m.old === undefined ? undefined : shares[m.old], current, auth: auth(party) }));
  return runParties<ReshareOutput>(parties, o.tamper);
}

function newShares(r: ReturnType<typeof reshare>): KeyShare[] {
  assert.equal(r.errors.size, 0, `reshare failed: ${[...r.errors.values()].map((e) => e.message).join('; ')}`);
  return [...r.outputs.values()].flatMap((o) => (o.share ? [o.share] : [])).sort((a, b) => a.party - b.party);
}

function assertEverySubsetSigns(shares: KeyShare[], publicKey: Uint8Array) {
  for (const signers of subsets(shares.length, shares[0].threshold)) {
    const d = digest();
    const sig = sign(shares, presign(shares, signers), d);
    assert.ok(secp256k1.verify(sig.signature.subarray(0, 64), d, publicKey, { prehash: false }), `signers ${signers} sign`);
  }
}

describe('reshare', () => {
  const first = dkg(2, 3);
  const pk = first[0].publicKey;
  let second: KeyShare[];

  it('2-of-3 -> 3-of-5: same public key, every 3 of the 5 sign, the new generation is new', () => {
    // Session parties 0..4: the three holders (dealers and receivers 0..2) and two new nodes.
    const r = reshare(first, [{ old: 0, new: 0 }, { old: 1, new: 1 }, { old: 2, new: 2 }, { new: 3 }, { new: 4 }], 3);
    second = newShares(r);
    assert.equal(second.length, 5);
    for (const s of second) {
      assert.deepEqual(s.publicKey, pk);
      assert.equal(s.threshold, 3);
      assert.equal(s.parties, 5);
      assert.deepEqual(s.generation, second[0].generation);
      assert.notDeepEqual(s.generation, first[0].generation);
    }
    assertEverySubsetSigns(second, pk);
  });

  it('3-of-5 -> 2-of-4 without node 4, dealt by 3 holders: node 4 gets nothing, its old share works with nobody', () => {
    // Dealers: old 0, 2, 4 (any 3 holders); receivers: old 0..3 as new 0..3. Old 4 only deals.
    const members: ReshareMember[] = [{ old: 0, new: 0 }, { new: 1 }, { old: 2, new: 2 }, { new: 3 }, { old: 4 }];
    const keyShareOf = (i: number) => (members[i].old === undefined ? undefined : second[members[i].old!]);
    const r = reshare(second, members, 2, { keyShareOf });
    const third = newShares(r);
    assert.equal(third.length, 4);
    assert.equal(r.outputs.get(4)!.share, undefined, 'the leaving dealer gets no share');
    assert.deepEqual(r.outputs.get(4)!.generation, third[0].generation, 'but knows the new generation');
    assertEverySubsetSigns(third, pk);
    // The removed node's old share, posing as new party 1, makes no signature with new party 0.
    const instance = newInstance();
    const stale: KeyShare = { ...second[4], party: 1, threshold: 2, parties: 4, xs: third[0].xs, publicShares: third[0].publicShares };
    const run = runParties([new PresignParty({ instance, keyShare: third[0], signers: [0, 1], auth: auth(0) }), new PresignParty({ instance, keyShare: stale, signers: [0, 1], auth: auth(1) })]);
    let signed = false;
    if (run.errors.size === 0) {
      const d = digest();
      try {
        signed = secp256k1.verify(sign([third[0], stale], run.outputs, d).signature.subarray(0, 64), d, pk, { prehash: false });
      } catch {
        signed = false;
      }
    }
    assert.equal(signed, false, 'no signature between generations');
  });

  it('a dealer that deals another share of the key than its own is named (PUBLIC_KEY_MISMATCH)', () => {
    const cheat = { ...first[1], share: first[1].share + 1n };
    const r = reshare(first, [{ old: 0, new: 0 }, { old: 1, new: 1 }, { new: 2 }], 2, { keyShareOf: (i) => (i === 0 ? first[0] : i === 1 ? cheat : undefined) });
    for (const honest of [0, 2]) {
      const e = r.errors.get(honest);
      assert.ok(e instanceof TssError && e.code === 'PUBLIC_KEY_MISMATCH' && e.party === 1, `party ${honest}: ${e?.message}`);
    }
  });

  it('a dealer that sends a receiver a share off its polynomial is named (FELDMAN_CHECK_FAILED)', () => {
    const members: ReshareMember[] = [{ old: 0, new: 0 }, { old: 1, new: 1 }, { old: 2 }, { new: 2 }];
    const r = reshare(first, members, 2, {
      tamper: {
        intercept: (d) => {
          if (d.from !== 2 || d.to !== 3 || d.round !== 3) return undefined;
          const env = dan.tss.Envelope.decode(d.payload);
          const m = dan.tss.ReshareRound3.decode(env.body);
          m.share = new Uint8Array(m.share);
          m.share[31] ^= 1;
          return dan.tss.Envelope.encode({ header: env.header, body: dan.tss.ReshareRound3.encode(m).finish() }).finish();
        },
      },
    });
    const e = r.errors.get(3);
    assert.ok(e instanceof TssError && e.code === 'FELDMAN_CHECK_FAILED' && e.party === 2, e?.message);
  });

  it('a receiver told another current generation is refused by every dealer (BROADCAST_MISMATCH)', () => {
    const other = dkg(2, 3);
    const instance = newInstance();
    const members: ReshareMember[] = [{ old: 0, new: 0 }, { old: 1, new: 1 }, { new: 2 }];
    const parties = members.map((m, party) => new ReshareParty({ instance, members, threshold: 2, party, keyShare: m.old === undefined ? undefined : first[m.old], current: publicOf(party === 2 ? other[0] : first[0]), auth: auth(party) }));
    const r = runParties<ReshareOutput>(parties);
    for (const dealer of [0, 1]) {
      const e = r.errors.get(dealer);
      assert.ok(e instanceof TssError && e.code === 'BROADCAST_MISMATCH' && e.party === 2, `dealer ${dealer}: ${e?.message}`);
    }
  });

  it('refused before anything is sent: too few dealers, public data that is not a key', () => {
    const instance = newInstance();
    assert.throws(() => new ReshareParty({ instance, members: [{ old: 0, new: 0 }, { new: 1 }], threshold: 2, party: 0, keyShare: first[0], auth: auth(0) }), /2 holders of the current generation must deal/);
    const broken = { ...publicOf(first[0]), publicShares: [first[1].publicShares[1], first[0].publicShares[0], first[2].publicShares[2]] };
    assert.throws(() => new ReshareParty({ instance, members: [{ old: 0 }, { old: 1 }, { new: 0 }, { new: 1 }], threshold: 2, party: 2, current: broken, auth: auth(2) }), /do not interpolate/);
  });
});
