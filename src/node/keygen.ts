// node.keyGen: run a DKG for a key the owner asked for. The node checks the request itself (the
// owner's signature, or the legacy client's frames), that the node set is the one signed, that it
// is a party and that no party is banned; the key id derives from the network and the request, so
// a repeated call (failover, retry) finds the key instead of running a second DKG.
// The result is stored *pending* (not a key yet: nothing lists or uses it) and the reply carries
// this node's acknowledgement of it; the coordinator commits it once every party acknowledged
// (pending-keys.ts). A new run of a key that is still pending here from an earlier run first
// settles the earlier one: committed (the key comes back), discarded (the new DKG runs), or still
// undecided (KEY_PENDING: retry later) — a pending key is never silently replaced.
// With `master`, no DKG: the node derives the key from that master key itself (tweak bound to the
// owner and the key id, src/tss derive.ts) and stores its record, fsynced, before it answers.
// With `masterKey`, an operator's node asks for a master key: a DKG like any other, whose key
// serves derived keys and signs nothing itself.
import { createHash } from 'node:crypto';
import { bytesToHex, hexToBytes, zeroAddress, type Hex } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { deriveKeyId, legacyKeyGenTerms, nativeKeyGenTerms, type KeyGenTerms } from '../requests/index.ts';
import { isStoreError } from '../store/index.ts';
import { deriveTweak, derivedPublicKey, encodeKeyShare } from '../tss/index.ts';
import { NodeError, type KeyGenCall, type KeyGenReply, type KeyRecord } from './api.ts';
import { hex, sessionInstance, strip0x, type NodeContext } from './context.ts';
import { keyGenAck, pendingReply, runOf, settlePendingKey, whileRunning } from './pending-keys.ts';

export function addressOfPublicKey(compressedHex: string): string {
  return publicKeyToAddress(bytesToHex(secp256k1.Point.fromHex(strip0x(compressedHex)).toBytes(false)));
}

export async function keyGen(ctx: NodeContext, call: KeyGenCall, from: string): Promise<KeyGenReply> {
  const session = runOf(call?.sessionId);
  if (!Array.isArray(call.nodes) || call.nodes.some((n) => typeof n !== 'string') || new Set(call.nodes).size !== call.nodes.length) {
    throw new NodeError('BAD_CALL', 'nodes must be distinct peer ids');
  }
  const { nodes } = call;
  if ('masterKey' in call) return masterKeyGen(ctx, call, session, from);
  const terms = 'legacy' in call ? await legacyKeyGenTerms(call.legacy) : nativeKeyGenTerms(call.request, ctx.requests);
  const { parties } = terms;
  if (typeof parties === 'number' ? nodes.length !== parties : Array.isArray(parties) && parties.join() !== nodes.join()) {
    throw new NodeError('UNAUTHORIZED', 'the node set differs from the one the owner signed');
  }
  if (nodes.length < terms.threshold) throw new NodeError('BAD_CALL', 'fewer nodes than the threshold');
  const party = nodes.indexOf(ctx.self);
  if (party < 0) throw new NodeError('NOT_A_PARTY', 'this node is not among the key parties');
  const keyId = deriveKeyId(ctx.requests.verified.network, terms.digest);
  // No read first: storing a derived key is idempotent, and a key made otherwise is found on conflict.
  if (call.master !== undefined) return deriveKey(ctx, call.master, nodes, terms, keyId);
  const existing = await ctx.store.getKeyMeta(keyId);
  if (existing) return { keyId, publicKey: existing.publicKey };

  return whileRunning(ctx, keyId, session, nodes, async () => {
    const pending = await ctx.store.getPendingKey(keyId);
    if (pending?.session === session) return pendingReply(ctx, pending); // this run, asked again
    if (pending) {
      const outcome = await settlePendingKey(ctx, keyId, pending.session, 'a new run of its DKG was asked for');
      if (outcome === 'committed') return { keyId, publicKey: pending.meta.publicKey };
      if (outcome === 'pending') {
        throw new NodeError('KEY_PENDING', `key ${keyId} is pending from an earlier run that not every party could settle yet; retry later`, { keyId, session: pending.session.slice(0, 16) });
      }
    }
    return runDkg(ctx, call, terms, keyId, session);
  });
}

/** A key derived from `masterId` for the owner's request (no DKG): its record, stored before the answer. */
async function deriveKey(ctx: NodeContext, masterId: unknown, nodes: string[], terms: KeyGenTerms, keyId: string): Promise<KeyGenReply> {
  if (terms.isolated) throw new NodeError('UNAUTHORIZED', 'the owner asked for an isolated key (a DKG of its own), not a derived one');
  ctx.guard.assertUsable(nodes, 'keyGen');
  const master = await ctx.keys.get(masterId);
  const m = master.meta;
  if (!m.master) throw new NodeError('BAD_CALL', `key ${m.keyId} is not a master key`);
  if (m.threshold !== terms.threshold || m.parties.join() !== nodes.join()) {
    throw new NodeError('BAD_CALL', `master key ${m.keyId} is ${m.threshold}-of-[${m.parties.join(', ')}], not the key asked for`);
  }
  const tweak = deriveTweak({ network: ctx.requests.verified.network, masterPublicKey: hexToBytes(m.publicKey as Hex), owner: hexToBytes(terms.owner as Hex), path: keyId });
  const publicKey = bytesToHex(derivedPublicKey(hexToBytes(m.publicKey as Hex), tweak));
  const meta: KeyRecord = {
    ...keyRecordOf(terms, keyId, publicKey, m.parties, m.party),
    derivation: { master: m.keyId, tweak: tweak.toString(16).padStart(64, '0') },
  };
  let stored: KeyRecord;
  try {
    stored = (await ctx.store.putDerivedKey(meta as KeyRecord & { derivation: { master: string } })) as KeyRecord;
  } catch (e) {
    if (!isStoreError(e, 'STORE_CONFLICT')) throw e;
    // The request's key exists already, made otherwise (another master): it is the answer.
    const existing = await ctx.store.getKeyMeta(keyId);
    if (existing) return { keyId, publicKey: existing.publicKey };
    throw new NodeError('KEYGEN_MISMATCH', `key ${keyId}: ${e.message}`, { keyId });
  }
  ctx.keys.remember(stored);
  ctx.log.debug('derived key stored', { keyId, master: m.keyId });
  return { keyId, publicKey: stored.publicKey };
}

/** A master key for `nodes`, asked for by one of them (an operator's node). */
async function masterKeyGen(ctx: NodeContext, call: KeyGenCall & { masterKey: { threshold: number } }, session: string, from: string): Promise<KeyGenReply> {
  const { nodes } = call;
  if (!nodes.includes(from)) throw new NodeError('UNAUTHORIZED', 'a master key is asked for by one of its parties');
  const threshold = call.masterKey?.threshold;
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > nodes.length) throw new NodeError('BAD_CALL', `threshold must be an integer in 2..${nodes.length}`);
  if (!nodes.includes(ctx.self)) throw new NodeError('NOT_A_PARTY', 'this node is not among the key parties');
  const keyId = 'master_' + createHash('sha256').update(`dan-node/master-id/${ctx.requests.verified.network}/`).update(session).digest('hex').slice(0, 32);
  const existing = await ctx.store.getKeyMeta(keyId);
  if (existing) return { keyId, publicKey: existing.publicKey };
  const terms: KeyGenTerms = { digest: `0x${session}`, owner: zeroAddress, threshold, parties: nodes.length, authorizedSigners: [], expiresAt: 0, requestId: `master:${session}` };
  return whileRunning(ctx, keyId, session, nodes, async () => {
    const pending = await ctx.store.getPendingKey(keyId);
    if (pending?.session === session) return pendingReply(ctx, pending);
    return runDkg(ctx, call, terms, keyId, session, { master: true });
  });
}

/** The record of a key made for `terms` (the DKG's or derivation's fields are added by the caller). */
function keyRecordOf(terms: KeyGenTerms, keyId: string, publicKey: string, parties: string[], party: number): KeyRecord {
  return {
    keyId,
    publicKey,
    address: addressOfPublicKey(publicKey),
    threshold: terms.threshold,
    parties,
    party,
    owner: terms.owner,
    authorizedSigners: terms.authorizedSigners,
    expiresAt: terms.expiresAt,
    ...(terms.policy ? { policy: terms.policy } : {}),
    ...(terms.ephemeralKeys ? { ephemeralKeys: terms.ephemeralKeys } : {}),
    requestId: terms.requestId,
    createdAt: Math.floor(Date.now() / 1000),
  };
}

async function runDkg(ctx: NodeContext, call: KeyGenCall, terms: KeyGenTerms, keyId: string, session: string, extra: Partial<KeyRecord> = {}): Promise<KeyGenReply> {
  const { nodes } = call;
  const party = nodes.indexOf(ctx.self);
  const log = ctx.log.child({ keyId, session: session.slice(0, 16) });
  log.info('keygen started', { threshold: terms.threshold, parties: nodes.length, party, legacy: 'legacy' in call });
  const instance = sessionInstance('keygen', call.sessionId, keyId);
  const machine = ctx.dkgParties.dkg({ instance, threshold: terms.threshold, parties: nodes.length, party }, nodes);
  const share = await ctx.router.run(instance, machine, nodes, ctx.timeouts.keyGenMs, { protocol: 'keygen', keyId });
  const publicKey = bytesToHex(share.publicKey);
  const meta: KeyRecord = { ...keyRecordOf(terms, keyId, publicKey, nodes, party), generation: hex(share.generation), keyGenSession: session, ...extra };
  await ctx.store.putPendingKey({ keyId, meta, share: encodeKeyShare(share) }, session);
  log.info('keygen done, pending confirmation', { publicKey });
  return { keyId, publicKey, session, ack: await keyGenAck(ctx, keyId, session, publicKey) };
}
