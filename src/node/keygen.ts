// node.keyGen: run a DKG for a key the owner asked for. The node checks the request itself (the
// owner's signature, or the legacy client's frames), that the node set is the one signed, that it
// is a party and that no party is banned; the key id derives from the network and the request, so
// a repeated call (failover, retry) finds the key instead of running a second DKG.
// The result is stored *pending* (not a key yet: nothing lists or uses it) and the reply carries
// this node's acknowledgement of it; the coordinator commits it once every party acknowledged
// (pending-keys.ts). A new run of a key that is still pending here from an earlier run first
// settles the earlier one: committed (the key comes back), discarded (the new DKG runs), or still
// undecided (KEY_PENDING: retry later) — a pending key is never silently replaced.
import { bytesToHex } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { deriveKeyId, legacyKeyGenTerms, nativeKeyGenTerms, type KeyGenTerms } from '../requests/index.ts';
import { encodeKeyShare } from '../tss/index.ts';
import { NodeError, type KeyGenCall, type KeyGenReply, type KeyRecord } from './api.ts';
import { hex, sessionInstance, strip0x, type NodeContext } from './context.ts';
import { keyGenAck, pendingReply, runOf, settlePendingKey, whileRunning } from './pending-keys.ts';

export function addressOfPublicKey(compressedHex: string): string {
  return publicKeyToAddress(bytesToHex(secp256k1.Point.fromHex(strip0x(compressedHex)).toBytes(false)));
}

export async function keyGen(ctx: NodeContext, call: KeyGenCall): Promise<KeyGenReply> {
  const session = runOf(call?.sessionId);
  if (!Array.isArray(call.nodes) || call.nodes.some((n) => typeof n !== 'string') || new Set(call.nodes).size !== call.nodes.length) {
    throw new NodeError('BAD_CALL', 'nodes must be distinct peer ids');
  }
  const { nodes } = call;
  const terms = 'legacy' in call ? await legacyKeyGenTerms(call.legacy) : nativeKeyGenTerms(call.request, ctx.requests);
  const { parties } = terms;
  if (typeof parties === 'number' ? nodes.length !== parties : Array.isArray(parties) && parties.join() !== nodes.join()) {
    throw new NodeError('UNAUTHORIZED', 'the node set differs from the one the owner signed');
  }
  if (nodes.length < terms.threshold) throw new NodeError('BAD_CALL', 'fewer nodes than the threshold');
  const party = nodes.indexOf(ctx.self);
  if (party < 0) throw new NodeError('NOT_A_PARTY', 'this node is not among the key parties');
  ctx.guard.assertUsable(nodes, 'keyGen');
  const keyId = deriveKeyId(ctx.requests.verified.network, terms.digest);
  const existing = await ctx.store.getKey(keyId);
  if (existing) return { keyId, publicKey: existing.meta.publicKey };

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

async function runDkg(ctx: NodeContext, call: KeyGenCall, terms: KeyGenTerms, keyId: string, session: string): Promise<KeyGenReply> {
  const { nodes } = call;
  const party = nodes.indexOf(ctx.self);
  const log = ctx.log.child({ keyId, session: session.slice(0, 16) });
  log.info('keygen started', { threshold: terms.threshold, parties: nodes.length, party, legacy: 'legacy' in call });
  const instance = sessionInstance('keygen', call.sessionId, keyId);
  const machine = ctx.dkgParties.dkg({ instance, threshold: terms.threshold, parties: nodes.length, party }, nodes);
  const share = await ctx.router.run(instance, machine, nodes, ctx.timeouts.keyGenMs, { protocol: 'keygen', keyId });
  const publicKey = bytesToHex(share.publicKey);
  const meta: KeyRecord = {
    keyId,
    publicKey,
    address: addressOfPublicKey(publicKey),
    threshold: terms.threshold,
    parties: nodes,
    party,
    owner: terms.owner,
    authorizedSigners: terms.authorizedSigners,
    expiresAt: terms.expiresAt,
    ...(terms.policy ? { policy: terms.policy } : {}),
    ...(terms.ephemeralKeys ? { ephemeralKeys: terms.ephemeralKeys } : {}),
    requestId: terms.requestId,
    generation: hex(share.generation),
    createdAt: Math.floor(Date.now() / 1000),
    keyGenSession: session,
  };
  await ctx.store.putPendingKey({ keyId, meta, share: encodeKeyShare(share) }, session);
  log.info('keygen done, pending confirmation', { publicKey });
  return { keyId, publicKey, session, ack: await keyGenAck(ctx, keyId, session, publicKey) };
}
