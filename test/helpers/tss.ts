// Test helpers for the engine: run DKG / presign / sign for all parties in this process.
// Every party id has one random Ed25519 identity key for the whole test process (`keys`), so the
// shares of one helper run work in the next; `auth(party)` is what the engine's params take.
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { dan } from '../../src/proto/index.ts';
import {
  DkgParty,
  LocalKeyring,
  MAX_PARTIES,
  PresignParty,
  broadcastStatement,
  combineSignature,
  runParties,
  type BroadcastAuth,
  type KeyShare,
  type Presignature,
  type RunOptions,
  type Signature,
} from '../../src/tss/index.ts';

export const newInstance = (): Uint8Array => new Uint8Array(randomBytes(32));

/** The identity keys of parties 0..MAX_PARTIES-1 (random, one set per test process). */
export const keys = new LocalKeyring(MAX_PARTIES);
/** The BroadcastAuth of `party`. */
export const auth = (party: number): BroadcastAuth => keys.auth(party);

/**
 * A round-1 envelope body (SignedBroadcast) of `body` signed as `party` for (instance, protocol):
 * what a misbehaving party holding its own key can send.
 */
export function signedAs(party: number, instance: Uint8Array, protocol: dan.tss.ProtocolKind, body: Uint8Array): Uint8Array {
  return dan.tss.SignedBroadcast.encode({ body, signature: keys.sign(party, broadcastStatement(instance, protocol, party, body)) }).finish();
}

export function dkg(t: number, n: number, options?: RunOptions): KeyShare[] {
  const instance = newInstance();
  const r = runParties(Array.from({ length: n }, (_, party) => DkgParty.dkg({ instance, threshold: t, parties: n, party, auth: auth(party) })), options);
  assert.equal(r.errors.size, 0, `DKG failed: ${[...r.errors.values()].map((e) => e.message).join('; ')}`);
  return [...r.outputs.values()].sort((a, b) => a.party - b.party);
}

export function refresh(shares: KeyShare[]): KeyShare[] {
  const instance = newInstance();
  const r = runParties(shares.map((keyShare) => DkgParty.refresh({ instance, keyShare, auth: auth(keyShare.party) })));
  assert.equal(r.errors.size, 0, `refresh failed: ${[...r.errors.values()].map((e) => e.message).join('; ')}`);
  return [...r.outputs.values()].sort((a, b) => a.party - b.party);
}

export function presign(shares: KeyShare[], signers: number[], options?: RunOptions): Map<number, Presignature> {
  const instance = newInstance();
  const r = runParties(signers.map((s) => new PresignParty({ instance, keyShare: shares[s], signers, auth: auth(s) })), options);
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
