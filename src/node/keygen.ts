// node.keyGen: run a DKG for a key the owner asked for. The node checks the request itself (the
// owner's signature, or the legacy client's frames), that the node set is the one signed, that it
// is a party and that no party is banned; the key id derives from the network and the request, so
// a repeated call (failover, retry) finds the key instead of running a second DKG.
import { bytesToHex } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { deriveKeyId, legacyKeyGenTerms, nativeKeyGenTerms } from '../requests/index.ts';
import { DkgParty, encodeKeyShare } from '../tss/index.ts';
import { NodeError, type KeyGenCall, type KeyGenReply, type KeyRecord } from './api.ts';
import { hex, isHex32, sessionInstance, strip0x, type NodeContext } from './context.ts';

export function addressOfPublicKey(compressedHex: string): string {
  return publicKeyToAddress(bytesToHex(secp256k1.Point.fromHex(strip0x(compressedHex)).toBytes(false)));
}

export async function keyGen(ctx: NodeContext, call: KeyGenCall): Promise<KeyGenReply> {
  if (!call || !isHex32(call.sessionId)) throw new NodeError('BAD_CALL', 'sessionId must be 32 bytes of hex');
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

  const log = ctx.log.child({ keyId, session: strip0x(call.sessionId).slice(0, 16) });
  log.info('keygen started', { threshold: terms.threshold, parties: nodes.length, party, legacy: 'legacy' in call });
  const instance = sessionInstance('keygen', call.sessionId, keyId);
  const machine = DkgParty.dkg({ instance, threshold: terms.threshold, parties: nodes.length, party, auth: ctx.broadcastAuth(party, nodes) });
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
  };
  await ctx.store.putKey({ keyId, meta, share: encodeKeyShare(share) });
  ctx.keys.set(keyId, { meta, share });
  log.info('keygen done', { publicKey });
  return { keyId, publicKey };
}
