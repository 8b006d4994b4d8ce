// Identifiable partial signatures (src/tss/protocols/public-values.ts, combine.ts): every signer's
// public values (PHI_i, S1_i, B_i) of a presignature pass the sums check, every honest partial
// matches them, and a wrong partial (another digest, a changed s0 or s1) is named, alone, by
// combineSignature (INVALID_PARTIAL) and faultyPartials; wrong public values fail the sums check.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dan } from '../../src/proto/index.ts';
import { Presignature, TssError, checkPublicValues, combineSignature, faultyPartials, type KeyShare, type PresignPublicValues, type TssErrorCode } from '../../src/tss/index.ts';
import { G, IDENTITY_ENCODING, encodePoint, mulBase, mulPublic, xModQ } from '../../src/tss/math/point.ts';
import { Q, inv, mul, randomScalar } from '../../src/tss/math/scalar.ts';
import { computePublicValues } from '../../src/tss/protocols/public-values.ts';
import { dkg, presign } from '../helpers/tss.ts';
import * as T from '../helpers/tamper.ts';

const digest = (): Uint8Array => new Uint8Array(randomBytes(32));
const isCode = (code: TssErrorCode, party?: number) => (e: unknown) => {
  assert.ok(e instanceof TssError, `expected a TssError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  assert.equal(e.party, party, e.message);
  return true;
};
const valuesOf = (pres: Map<number, Presignature>): Map<number, PresignPublicValues> => new Map([...pres].map(([p, x]) => [p, x.publicValues]));
const editPartial = (partial: Uint8Array, f: (m: dan.tss.PartialSignature) => void): Uint8Array => {
  const m = dan.tss.PartialSignature.decode(partial);
  f(m);
  return dan.tss.PartialSignature.encode(m).finish();
};

for (const [t, n, signers, faulty] of [[2, 3, [0, 2], 2], [3, 5, [1, 2, 4], 2]] as const) {
  describe(`identifiable partials, ${t}-of-${n} (signers ${signers})`, () => {
    let shares: KeyShare[];
    before(() => {
      shares = dkg(t, n);
    });
    /** A fresh presignature of the signers, its public values and partials on `d` (per-signer digests optional). */
    const setup = (d: Uint8Array, digests: Record<number, Uint8Array> = {}) => {
      const pres = presign(shares, [...signers]);
      const publicValues = valuesOf(pres);
      const partials = [...signers].map((p) => pres.get(p)!.sign(shares[p], digests[p] ?? d));
      return { publicValues, partials };
    };
    const combine = (d: Uint8Array, partials: Uint8Array[], publicValues?: Map<number, PresignPublicValues>) =>
      combineSignature({ publicKey: shares[0].publicKey, digest: d, partials, publicValues });

    it('honest run: the public values pass the sums check, every partial matches them, the signature combines', () => {
      const d = digest();
      const { publicValues, partials } = setup(d);
      assert.equal(publicValues.size, t);
      for (const v of publicValues.values()) for (const x of [v.phi, v.s1, v.b]) assert.equal(x.length, 33);
      checkPublicValues(publicValues);
      assert.deepEqual(faultyPartials({ publicKey: shares[0].publicKey, digest: d, partials, publicValues }), []);
      assert.equal(combine(d, partials, publicValues).signature.length, 65);
    });

    it(`signer ${faulty} signs another digest -> INVALID_PARTIAL naming exactly that signer`, () => {
      const d = digest();
      const { publicValues, partials } = setup(d, { [faulty]: digest() });
      assert.throws(() => combine(d, partials, publicValues), isCode('INVALID_PARTIAL', faulty));
      assert.deepEqual(faultyPartials({ publicKey: shares[0].publicKey, digest: d, partials, publicValues }), [faulty]);
      // Without public values the failure stays unattributed, as before.
      assert.throws(() => combine(d, partials), isCode('INVALID_SIGNATURE'));
    });

    it('every signer signs its own digest -> faultyPartials names all but the one whose digest is combined', () => {
      const d = digest();
      const digests = Object.fromEntries(signers.slice(1).map((p) => [p, digest()]));
      const { publicValues, partials } = setup(d, digests);
      assert.deepEqual(faultyPartials({ publicKey: shares[0].publicKey, digest: d, partials, publicValues }), signers.slice(1));
      assert.throws(() => combine(d, partials, publicValues), isCode('INVALID_PARTIAL', signers[1]));
    });

    it(`a flipped byte of s0 in the partial of signer ${faulty} -> INVALID_PARTIAL naming it`, () => {
      const d = digest();
      const { publicValues, partials } = setup(d);
      const i = signers.indexOf(faulty);
      partials[i] = editPartial(partials[i], (m) => (m.s0 = T.flip(m.s0, 7)));
      assert.throws(() => combine(d, partials, publicValues), isCode('INVALID_PARTIAL', faulty));
    });

    it(`a flipped byte of s1 in the partial of signer ${signers[0]} -> INVALID_PARTIAL naming it`, () => {
      const d = digest();
      const { publicValues, partials } = setup(d);
      partials[0] = editPartial(partials[0], (m) => (m.s1 = T.flip(m.s1)));
      assert.throws(() => combine(d, partials, publicValues), isCode('INVALID_PARTIAL', signers[0]));
    });

    it('consistent s0 and s1 of another presignature in one partial -> INVALID_PARTIAL naming it', () => {
      const d = digest();
      const { publicValues, partials } = setup(d);
      const other = setup(d).partials;
      const i = signers.indexOf(faulty);
      partials[i] = editPartial(partials[i], (m) => {
        const o = dan.tss.PartialSignature.decode(other[i]);
        m.s0 = o.s0;
        m.s1 = o.s1;
      });
      assert.throws(() => combine(d, partials, publicValues), isCode('INVALID_PARTIAL', faulty));
    });

    it("one signer's B replaced (or PHI, or S1) -> the sums check fails, attributed to nobody", () => {
      const { publicValues } = setup(digest());
      for (const field of ['b', 'phi', 's1'] as const) {
        const bad = new Map(publicValues);
        bad.set(faulty, { ...publicValues.get(faulty)!, [field]: T.randomPoint() });
        assert.throws(() => checkPublicValues(bad), isCode('CONSISTENCY_CHECK_FAILED'), field);
      }
      const missing = new Map(publicValues);
      missing.delete(faulty);
      assert.throws(() => checkPublicValues(missing), isCode('CONSISTENCY_CHECK_FAILED'));
    });

    it("a malformed public value -> INVALID_POINT naming its signer", () => {
      const { publicValues } = setup(digest());
      const bad = new Map(publicValues);
      bad.set(faulty, { ...publicValues.get(faulty)!, b: T.badPrefix(publicValues.get(faulty)!.b) });
      assert.throws(() => checkPublicValues(bad), isCode('INVALID_POINT', faulty));
      bad.set(faulty, { ...publicValues.get(faulty)!, phi: T.flip(publicValues.get(faulty)!.phi, 5) });
      // A flipped x coordinate is off the curve about half of the time; either way the check fails.
      assert.throws(() => checkPublicValues(bad), (e: unknown) => e instanceof TssError && (e.code === 'INVALID_POINT' ? e.party === faulty : e.code === 'CONSISTENCY_CHECK_FAILED'));
    });
  });
}

describe('public values: encoding, records and a wrong psi', () => {
  let shares: KeyShare[];
  before(() => {
    shares = dkg(2, 3);
  });

  it('the values are PHI = phi*R, S1 = s1*G, B = s0*R - (r*s1)*X; B = identity is encoded as 33 zero bytes and passes the sums check', () => {
    const k = randomScalar();
    const x = randomScalar();
    const R = mulBase(k);
    const X = mulBase(x);
    const r = xModQ(R, Q).r;
    const s1 = randomScalar();
    const phi = mul(s1, inv(k)); // one "signer" with phi*k = s1: PHI = S1
    const s0 = mul(mul(r, mul(s1, x)), inv(k)); // s0*R = r*s1*X: B = O
    const v = computePublicValues(encodePoint(R), encodePoint(X), r, phi, s0, s1);
    assert.deepEqual(v.phi, encodePoint(mulPublic(R, phi)));
    assert.deepEqual(v.s1, encodePoint(mulPublic(G, s1)));
    assert.deepEqual(v.b, IDENTITY_ENCODING);
    checkPublicValues(new Map([[0, v]]));
    const s0b = randomScalar();
    const w = computePublicValues(R.toBytes(false), X.toBytes(false), r, phi, s0b, s1);
    assert.deepEqual(w.b, encodePoint(mulPublic(R, s0b).subtract(mulPublic(X, mul(r, s1)))));
    assert.throws(() => checkPublicValues(new Map([[0, w]])), isCode('CONSISTENCY_CHECK_FAILED'));
  });

  it('a presignature record keeps the public values; a record without them (older format) computes the same ones', () => {
    const pres = presign(shares, [0, 1]);
    const p0 = pres.get(0)!;
    const values = p0.publicValues;
    const restored = Presignature.fromRecord(p0.toRecord());
    assert.deepEqual(restored.publicValues, values);
    const old = dan.tss.PresignatureRecord.decode(p0.toRecord());
    old.phiPoint = new Uint8Array();
    old.s1Point = new Uint8Array();
    old.bPoint = new Uint8Array();
    const legacy = Presignature.fromRecord(dan.tss.PresignatureRecord.encode(old).finish());
    assert.deepEqual(legacy.publicValues, values);
    old.bPoint = values.b.subarray(1);
    assert.throws(() => Presignature.fromRecord(dan.tss.PresignatureRecord.encode(old).finish()), isCode('MALFORMED_MESSAGE'));
  });

  it('a presign peer sends a wrong psi -> no partial is wrong on its own, the sums check fails (unattributed), and combine says so', () => {
    const d = digest();
    const flipPsi = new T.Tamper({ from: 1, to: 0, round: 3 }, (p) => T.editBody<dan.tss.PresignRound3>(p, dan.tss.PresignRound3, (m) => (m.psi = T.flip(m.psi))));
    const pres = presign(shares, [0, 1], { intercept: flipPsi.intercept });
    assert.equal(flipPsi.hits, 1);
    const publicValues = valuesOf(pres);
    assert.throws(() => checkPublicValues(publicValues), isCode('CONSISTENCY_CHECK_FAILED'));
    const partials = [0, 1].map((p) => pres.get(p)!.sign(shares[p], d));
    assert.deepEqual(faultyPartials({ publicKey: shares[0].publicKey, digest: d, partials, publicValues }), []);
    assert.throws(() => combineSignature({ publicKey: shares[0].publicKey, digest: d, partials, publicValues }), isCode('CONSISTENCY_CHECK_FAILED'));
  });

  it('combine with public values that lack a signer -> INVALID_PARAMETERS, only when the signature fails', () => {
    const d = digest();
    const pres = presign(shares, [1, 2]);
    const publicValues = valuesOf(pres);
    publicValues.delete(1);
    const good = [1, 2].map((p) => pres.get(p)!.sign(shares[p], d));
    assert.equal(combineSignature({ publicKey: shares[0].publicKey, digest: d, partials: good, publicValues }).signature.length, 65);
    const bad = [editPartial(good[0], (m) => (m.s0 = T.flip(m.s0))), good[1]];
    assert.throws(() => combineSignature({ publicKey: shares[0].publicKey, digest: d, partials: bad, publicValues }), isCode('INVALID_PARAMETERS'));
  });
});

// A partial names the presignature it comes from (id, nonce point, signer set). Without
// `expected` the partials can only be compared with the first one, so a wrong first partial
// names an honest signer; with `expected` (what the combiner pooled) the wrong one is named.
describe('combine with the expected presignature (2-of-3, signers 0 and 2)', () => {
  let shares: KeyShare[];
  before(() => {
    shares = dkg(2, 3);
  });
  const fresh = (d: Uint8Array) => {
    const pres = presign(shares, [0, 2]);
    const p0 = pres.get(0)!;
    const expected = { presignatureId: p0.id, noncePoint: p0.noncePoint, signers: [...p0.signers] };
    const publicValues = valuesOf(pres);
    const partials = [0, 2].map((p) => pres.get(p)!.sign(shares[p], d));
    return { expected, publicValues, partials };
  };
  const combine = (d: Uint8Array, partials: Uint8Array[], extra: Partial<Parameters<typeof combineSignature>[0]> = {}) => () =>
    combineSignature({ publicKey: shares[0].publicKey, digest: d, partials, ...extra });

  const firstWrong: [string, (m: dan.tss.PartialSignature) => void][] = [
    ['another presignature id', (m) => (m.presignatureId = T.flip(m.presignatureId))],
    ['another nonce point', (m) => (m.noncePoint = T.randomPoint())],
    ['another signer set', (m) => (m.signers = [0, 1])],
  ];
  for (const [what, edit] of firstWrong) {
    it(`the first partial carries ${what} -> with expected, INVALID_PARTIAL names its signer (0), not the other; without, the other (2) is named`, () => {
      const d = digest();
      const { expected, publicValues, partials } = fresh(d);
      const bad = [editPartial(partials[0], edit), partials[1]];
      assert.throws(combine(d, bad, { expected }), isCode('INVALID_PARTIAL', 0));
      assert.throws(combine(d, bad, { expected, publicValues }), isCode('INVALID_PARTIAL', 0));
      assert.throws(combine(d, bad), isCode('INVALID_PARTIAL', 2), 'without expected: the documented misattribution');
      assert.deepEqual(faultyPartials({ publicKey: shares[0].publicKey, digest: d, partials: bad, publicValues, expected }), [0]);
      // The order of the partials does not matter with expected.
      assert.throws(combine(d, [bad[1], bad[0]], { expected }), isCode('INVALID_PARTIAL', 0));
    });
  }

  it('the second partial carries another nonce point -> names signer 2 with or without expected', () => {
    const d = digest();
    const { expected, partials } = fresh(d);
    const bad = [partials[0], editPartial(partials[1], (m) => (m.noncePoint = T.randomPoint()))];
    assert.throws(combine(d, bad, { expected }), isCode('INVALID_PARTIAL', 2));
    assert.throws(combine(d, bad), isCode('INVALID_PARTIAL', 2));
  });

  it('both partials differ from what was pooled -> the first in id order is named, the message lists both; faultyPartials returns both', () => {
    const d = digest();
    const { expected, publicValues, partials } = fresh(d);
    const bad = partials.map((p) => editPartial(p, (m) => (m.presignatureId = T.flip(m.presignatureId, 4))));
    assert.throws(combine(d, [bad[1], bad[0]], { expected }), (e: unknown) => isCode('INVALID_PARTIAL', 0)(e) && /0, 2/.test((e as Error).message));
    assert.deepEqual(faultyPartials({ publicKey: shares[0].publicKey, digest: d, partials: bad, publicValues, expected }), [0, 2]);
  });

  it('partials of another presignature of the same signers, both consistent -> with expected both are named; without, INVALID_SIGNATURE at best', () => {
    const d = digest();
    const pooled = fresh(d);
    const other = fresh(d);
    assert.throws(combine(d, other.partials, { expected: pooled.expected }), isCode('INVALID_PARTIAL', 0));
    assert.deepEqual(faultyPartials({ publicKey: shares[0].publicKey, digest: d, partials: other.partials, publicValues: pooled.publicValues, expected: pooled.expected }), [0, 2]);
    // Without expected they combine into a valid signature (they are a genuine presignature).
    assert.equal(combine(d, other.partials)().signature.length, 65);
  });

  it('one mismatching partial and one wrong s0 -> faultyPartials with expected names both', () => {
    const d = digest();
    const { expected, publicValues, partials } = fresh(d);
    const bad = [editPartial(partials[0], (m) => (m.signers = [0, 1])), editPartial(partials[1], (m) => (m.s0 = T.flip(m.s0)))];
    assert.deepEqual(faultyPartials({ publicKey: shares[0].publicKey, digest: d, partials: bad, publicValues, expected }), [0, 2]);
    assert.throws(combine(d, bad, { expected, publicValues }), isCode('INVALID_PARTIAL', 0));
  });

  it('honest partials with expected (signers in any order) -> a valid signature', () => {
    const d = digest();
    const { expected, publicValues, partials } = fresh(d);
    assert.equal(combine(d, partials, { expected, publicValues })().signature.length, 65);
    assert.equal(combine(d, [partials[1], partials[0]], { expected: { ...expected, signers: [2, 0] } })().signature.length, 65);
  });

  it('a partial claiming a signer outside the expected set -> INVALID_PARTIAL naming that claimed sender', () => {
    const d = digest();
    const { expected, partials } = fresh(d);
    assert.throws(combine(d, [partials[0], editPartial(partials[1], (m) => (m.from = 1))], { expected }), isCode('INVALID_PARTIAL', 1));
  });
});
