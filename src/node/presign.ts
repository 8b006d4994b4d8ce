// node.presign: one presigning session with the given signers of a key. Refused, and the other
// signers told (src/node/sessions.ts), when a signer is banned or suspended or when a lifted ban
// left the key needing a refresh with one of them, or when the caller planned with another
// generation of the key (STALE_KEY: a refresh or reshare switched since it read the key). The presignature is stored (with its
// generation: one made before a refresh commit is discarded) before the reply, which carries its
// id, nonce point and public values for the combiner.
import { bytesToHex } from 'viem';
import { checkKeyLive } from '../requests/index.ts';
import { isStoreError } from '../store/index.ts';
import { NodeError, publicValuesToWire, type PresignCall, type PresignReply } from './api.ts';
import { hex, isHex32, sessionInstance, type NodeContext } from './context.ts';

export async function presign(ctx: NodeContext, call: PresignCall): Promise<PresignReply> {
  if (!call || !isHex32(call.sessionId)) throw new NodeError('BAD_CALL', 'sessionId must be 32 bytes of hex');
  const { meta, share } = await ctx.keys.get(call.keyId);
  if (meta.derivation) throw new NodeError('BAD_CALL', `key ${call.keyId} is derived: its presignatures are its master's (${meta.derivation.master})`);
  checkKeyLive(meta, ctx.requests);
  if (call.generation !== undefined && call.generation !== meta.generation) {
    // The caller planned with another generation (a refresh or reshare switched meanwhile): the
    // signers it named may not be this generation's; end the session everywhere at once.
    ctx.router.refuse(sessionInstance('presign', call.sessionId, call.keyId), share.party, meta.parties, 'STALE_KEY');
    throw new NodeError('STALE_KEY', `key ${call.keyId} is at generation ${String(meta.generation).slice(0, 16)} (${meta.threshold}-of-${meta.parties.length}), not ${String(call.generation).slice(0, 16)}`, { keyId: call.keyId });
  }
  const signers = call.signers;
  if (!Array.isArray(signers) || signers.length !== share.threshold || signers.some((s, i) => !Number.isInteger(s) || s < 0 || s >= share.parties || (i > 0 && s <= signers[i - 1]))) {
    throw new NodeError('BAD_CALL', `signers must be ${share.threshold} ascending party indices`);
  }
  if (!signers.includes(share.party)) throw new NodeError('NOT_A_PARTY', 'this node is not among the signers');
  const signerPeers = signers.map((i) => meta.parties[i]);
  const instance = sessionInstance('presign', call.sessionId, call.keyId);
  const stale = signerPeers.filter((p) => (meta.refreshRequired ?? []).includes(p));
  if (stale.length) {
    ctx.router.refuse(instance, share.party, signerPeers, 'REFRESH_REQUIRED');
    throw new NodeError('REFRESH_REQUIRED', `key ${call.keyId} must be refreshed before presigning with ${stale.join(', ')} again (a ban on it was lifted)`, { keyId: call.keyId, peers: stale });
  }
  const machine = ctx.presignParties.presign({ instance, keyShare: share, signers }, meta.parties);
  const presignature = await ctx.router.run(instance, machine, meta.parties, ctx.timeouts.presignMs, { protocol: 'presign', keyId: call.keyId });
  const id = bytesToHex(presignature.id).slice(2);
  const publicValues = publicValuesToWire(presignature.publicValues);
  const noncePoint = hex(presignature.noncePoint);
  try {
    await ctx.store.addPresignature(call.keyId, { id, signers, record: presignature.toRecord(), generation: hex(share.generation), noncePoint, publicValues });
  } catch (e) {
    if (isStoreError(e, 'STORE_CONFLICT') && e.context.reason === 'generation') throw new NodeError('REFRESH_MISMATCH', `presignature of key ${call.keyId} discarded: ${e.message}`, { keyId: call.keyId });
    throw e;
  }
  ctx.log.debug('presignature stored', { keyId: call.keyId, presignatureId: id, signers });
  return { presignatureId: id, noncePoint, publicValues };
}
