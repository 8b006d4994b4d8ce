// A master key's presignature used for a derived key Y = X + eps*G with a re-randomized nonce
// R' = delta*R (src/tss/protocols/rerandomize.ts): the partials combine into a signature that
// verifies under Y (and not X) with nonce point R'; eps = 0, delta = 1 gives the plain partials; the
// re-randomized public values still name a wrong partial, and a partial made for another tweak or
// delta; a delta of 0 is refused before the presignature is consumed. signDerived: delta from every
// signer's opened seed; a seed that does not open its commitment names its signer and consumes
// nothing; signers that saw different uses make partials that do not combine.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { dan } from '../../src/proto/index.ts';
import { Presignature, TssError, checkPublicValues, combineSignature, derivedPublicKey, rerandomizeNonce, rerandomizePublicValues, rerandomizerDelta, type KeyShare, type PresignPublicValues, type Rerandomization } from '../../src/tss/index.ts';
import { G, encodePoint, mulPublic } from '../../src/tss/math/point.ts';
import { Q, randomScalar } from '../../src/tss/math/scalar.ts';
import { dkg, presign } from '../helpers/tss.ts';

const digest = (): Uint8Array => new Uint8Array(randomBytes(32));
const copy = (p: Presignature) => Presignature.fromRecord(p.toRecord());

for (const [t, n, signers] of [[2, 3, [0, 2]], [3, 5, [1, 2, 4]]] as const) {
  describe(`derived keys on re-randomized presignatures, ${t}-of-${n}`, () => {
    let shares: KeyShare[];
    before(() => {
      shares = dkg(t, n);
    });

    /** Sign `d` for `use` with a fresh presignature; the combiner's view of it. */
    const setup = (use: Rerandomization, d: Uint8Array) => {
      const pres = presign(shares, [...signers]);
      const first = pres.get(signers[0])!;
      const nonce = rerandomizeNonce(first.noncePoint, use.delta);
      const publicValues = new Map<number, PresignPublicValues>([...pres].map(([p, x]) => [p, rerandomizePublicValues(x.publicValues, use, nonce, p)]));
      const expected = { presignatureId: first.id, noncePoint: nonce.noncePoint, signers: [...signers] };
      return { pres, nonce, publicValues, expected, partials: () => [...signers].map((p) => pres.get(p)!.sign(shares[p], d, use)) };
    };

    it('the partials combine into a signature under Y = X + eps*G with nonce delta*R, not under X', () => {
      for (let i = 0; i < 5; i++) {
        const use = { tweak: randomScalar(), delta: randomScalar() };
        const d = digest();
        const { nonce, publicValues, expected, partials } = setup(use, d);
        const Y = derivedPublicKey(shares[0].publicKey, use.tweak);
        checkPublicValues(publicValues); // the sums still hold for the re-randomized values
        const sig = combineSignature({ publicKey: Y, digest: d, partials: partials(), publicValues, expected });
        assert.equal(sig.r, nonce.rPrime);
        const compact = sig.signature.subarray(0, 64);
        assert.ok(secp256k1.verify(compact, d, Y, { prehash: false }), 'verifies under Y');
        assert.ok(!secp256k1.verify(compact, d, shares[0].publicKey, { prehash: false }), 'not under the master key');
        const recovered = secp256k1.Signature.fromBytes(compact, 'compact').addRecoveryBit(sig.recovery).recoverPublicKey(d).toBytes(true);
        assert.deepEqual(recovered, Y, 'the recovery id recovers Y');
      }
    });

    it('eps = 0 and delta = 1 give exactly the plain partials', () => {
      const d = digest();
      const pres = presign(shares, [...signers]);
      for (const p of signers) {
        const plain = copy(pres.get(p)!).sign(shares[p], d);
        assert.deepEqual(pres.get(p)!.sign(shares[p], d, { tweak: 0n, delta: 1n }), plain);
      }
    });

    it('a wrong partial, or one made for another tweak or delta, is named by the re-randomized public values', () => {
      const use = { tweak: randomScalar(), delta: randomScalar() };
      const d = digest();
      const Y = derivedPublicKey(shares[0].publicKey, use.tweak);
      const named = signers[1];
      for (const other of [{ ...use, tweak: (use.tweak + 1n) % Q }, { ...use, delta: (use.delta + 1n) % Q }, 'tampered'] as const) {
        const { pres, publicValues, expected } = setup(use, d);
        const partials = [...signers].map((p) => {
          if (p !== named) return pres.get(p)!.sign(shares[p], d, use);
          if (other === 'tampered') {
            const m = dan.tss.PartialSignature.decode(pres.get(p)!.sign(shares[p], d, use));
            m.s0[31] ^= 1;
            return dan.tss.PartialSignature.encode(m).finish();
          }
          const made = pres.get(p)!.sign(shares[p], d, other);
          // Another delta moves R' too: present it as if for the expected nonce, so only the values tell.
          const m = dan.tss.PartialSignature.decode(made);
          m.noncePoint = expected.noncePoint;
          return dan.tss.PartialSignature.encode(m).finish();
        });
        assert.throws(
          () => combineSignature({ publicKey: Y, digest: d, partials, publicValues, expected }),
          (e: unknown) => e instanceof TssError && e.code === 'INVALID_PARTIAL' && e.party === named,
          String(typeof other === 'string' ? other : JSON.stringify(other, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v))),
        );
      }
    });

    it('delta = 0 and a tweak that cancels the key are refused; the presignature is not consumed by a refusal', () => {
      const d = digest();
      const pres = presign(shares, [...signers]);
      const p = pres.get(signers[0])!;
      assert.throws(() => p.sign(shares[signers[0]], d, { tweak: 1n, delta: 0n }), (e: unknown) => e instanceof TssError && e.code === 'INVALID_PARAMETERS');
      assert.equal(p.consumed, false);
      // X + eps*G = O for eps = -x: only someone who knows x could ask for it, but it is refused anyway.
      const minusX = encodePoint(mulPublic(G, 5n).negate());
      assert.throws(() => derivedPublicKey(minusX, 5n), (e: unknown) => e instanceof TssError && e.code === 'INVALID_PARAMETERS');
    });

    it('signDerived: delta from the opened seeds; a false seed names its signer and consumes nothing', () => {
      const d = digest();
      const tweak = randomScalar();
      const Y = derivedPublicKey(shares[0].publicKey, tweak);
      const pres = presign(shares, [...signers]);
      const first = pres.get(signers[0])!;
      assert.ok(first.rerandomizable);
      const seeds = [...signers].map((p) => pres.get(p)!.rerandomizerSeed);
      const use = { derivedPublicKey: Y, tweak, digest: d, seeds };
      // A dishonest signer opens another seed: every honest signer names it, nothing is consumed.
      const liar = signers[signers.length - 1];
      const lying = seeds.map((s, j) => (signers[j] === liar ? new Uint8Array(randomBytes(32)) : s));
      for (const p of signers) {
        assert.throws(() => pres.get(p)!.signDerived(shares[p], { ...use, seeds: lying }), (e: unknown) => e instanceof TssError && e.code === 'INVALID_COMMITMENT' && e.party === liar);
        assert.equal(pres.get(p)!.consumed, false);
      }
      // The combiner computes the same delta from the seeds (it needs no commitments).
      const delta = rerandomizerDelta({ ...use, presignatureId: first.id, noncePoint: first.noncePoint, signers: [...signers] });
      const nonce = rerandomizeNonce(first.noncePoint, delta);
      const publicValues = new Map([...pres].map(([p, x]) => [p, rerandomizePublicValues(x.publicValues, { tweak, delta }, nonce, p)] as const));
      const expected = { presignatureId: first.id, noncePoint: nonce.noncePoint, signers: [...signers] };
      const pooledR = first.noncePoint;
      const partials = [...signers].map((p) => pres.get(p)!.signDerived(shares[p], use));
      const sig = combineSignature({ publicKey: Y, digest: d, partials, publicValues, expected });
      assert.ok(secp256k1.verify(sig.signature.subarray(0, 64), d, Y, { prehash: false }));
      assert.notDeepEqual(nonce.noncePoint, pooledR, 'the final R differs from the pooled R');
    });

    it('signers that bound different uses (split view) make partials that do not combine', () => {
      const tweak = randomScalar();
      const Y = derivedPublicKey(shares[0].publicKey, tweak);
      const pres = presign(shares, [...signers]);
      const first = pres.get(signers[0])!;
      const seeds = [...signers].map((p) => pres.get(p)!.rerandomizerSeed);
      const [d1, d2] = [digest(), digest()];
      const delta = rerandomizerDelta({ derivedPublicKey: Y, tweak, digest: d1, seeds, presignatureId: first.id, noncePoint: first.noncePoint, signers: [...signers] });
      const nonce = rerandomizeNonce(first.noncePoint, delta);
      const publicValues = new Map([...pres].map(([p, x]) => [p, rerandomizePublicValues(x.publicValues, { tweak, delta }, nonce, p)] as const));
      const partials = [...signers].map((p, j) => pres.get(p)!.signDerived(shares[p], { derivedPublicKey: Y, tweak, digest: j === 0 ? d1 : d2, seeds }));
      assert.throws(() => combineSignature({ publicKey: Y, digest: d1, partials, publicValues, expected: { presignatureId: first.id, noncePoint: nonce.noncePoint, signers: [...signers] } }), TssError);
    });
  });
}
