// Randomised end-to-end runs: DKG -> presign -> sign -> refresh -> presign -> sign over random
// configurations, signer sets and digests. The protocol's own randomness comes from the CSPRNG;
// the seed only picks the scenario, and is printed so a failing scenario can be replayed with
// TSS_SEED=<seed>. TSS_RUNS sets the number of runs (default 8).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { dkg, presign, refresh, sign } from '../helpers/tss.ts';

/** splitmix32: a small deterministic generator for scenario choices (not for cryptography). */
function scenarioRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

function pickSigners(rng: () => number, n: number, t: number): number[] {
  const ids = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids.slice(0, t).sort((a, b) => a - b);
}

const configs: [number, number][] = [[2, 2], [2, 3], [3, 3], [2, 4], [3, 4]];
const runs = Number(process.env.TSS_RUNS ?? 8);
const firstSeed = Number(process.env.TSS_SEED ?? randomBytes(4).readUInt32BE(0));

describe('randomised DKG -> presign -> sign -> refresh -> sign', () => {
  for (let k = 0; k < runs; k++) {
    const seed = (firstSeed + k) >>> 0;
    const rng = scenarioRng(seed);
    const [t, n] = configs[Math.floor(rng() * configs.length)];
    it(`seed ${seed}: ${t}-of-${n}`, () => {
      const shares = dkg(t, n);
      const pk = shares[0].publicKey;
      const signAndVerify = (keyShares: typeof shares) => {
        const signers = pickSigners(rng, n, t);
        const d = new Uint8Array(randomBytes(32));
        const sig = sign(keyShares, presign(keyShares, signers), d);
        assert.ok(secp256k1.verify(sig.signature.subarray(0, 64), d, pk, { prehash: false }), `signers ${signers}`);
      };
      signAndVerify(shares);
      signAndVerify(shares);
      const fresh = refresh(shares);
      fresh.forEach((s) => assert.deepEqual(s.publicKey, pk));
      signAndVerify(fresh);
    });
  }
});
