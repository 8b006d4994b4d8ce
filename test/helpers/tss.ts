// Test helpers for the engine: run DKG / presign / sign for all parties in this process.
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { DkgParty, PresignParty, combineSignature, runParties, type KeyShare, type Presignature, type RunOptions, type Signature } from '../../src/tss/index.ts';

export const newInstance = (): Uint8Array => new Uint8Array(randomBytes(32));

export function dkg(t: number, n: number, options?: RunOptions): KeyShare[] {
  const instance = newInstance();
  const r = runParties(Array.from({ length: n }, (_, party) => DkgParty.dkg({ instance, threshold: t, parties: n, party })), options);
  assert.equal(r.errors.size, 0, `DKG failed: ${[...r.errors.values()].map((e) => e.message).join('; ')}`);
  return [...r.outputs.values()].sort((a, b) => a.party - b.party);
}

export function refresh(shares: KeyShare[]): KeyShare[] {
  const instance = newInstance();
  const r = runParties(shares.map((keyShare) => DkgParty.refresh({ instance, keyShare })));
  assert.equal(r.errors.size, 0, `refresh failed: ${[...r.errors.values()].map((e) => e.message).join('; ')}`);
  return [...r.outputs.values()].sort((a, b) => a.party - b.party);
}

export function presign(shares: KeyShare[], signers: number[], options?: RunOptions): Map<number, Presignature> {
  const instance = newInstance();
  const r = runParties(signers.map((s) => new PresignParty({ instance, keyShare: shares[s], signers })), options);
  assert.equal(r.errors.size, 0, `presign failed: ${[...r.errors.values()].map((e) => e.message).join('; ')}`);
  return r.outputs;
}

export function sign(shares: KeyShare[], presignatures: Map<number, Presignature>, digest: Uint8Array): Signature {
  const partials = [...presignatures].map(([party, p]) => p.sign(shares[party], digest));
  return combineSignature({ publicKey: shares[0].publicKey, digest, partials });
}

/** All k-element subsets of [0, n). */
export function subsets(n: number, k: number): number[][] {
  const out: number[][] = [];
  const walk = (start: number, acc: number[]) => {
    if (acc.length === k) return void out.push([...acc]);
    for (let i = start; i < n; i++) walk(i + 1, [...acc, i]);
  };
  walk(0, []);
  return out;
}
