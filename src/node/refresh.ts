// node.refresh / node.commitRefresh / node.refreshState: the two phases of a key refresh.
// Phase 1 runs the engine's refresh among all the key's parties (new shares, OT and zero-share
// seeds, same public key), stores the new share pending next to the one in use, and acknowledges
// it with this node's identity key. Phase 2 switches to it once every party acknowledged the same
// generation: one fsynced batch that also invalidates every presignature of the old generation and
// clears refreshRequired. A failed run leaves a pending share that the next run replaces.
import { hexToBytes } from 'viem';
import { authorizeRefresh, checkKeyLive } from '../requests/index.ts';
import { isStoreError } from '../store/index.ts';
import { encodeKeyShare } from '../tss/index.ts';
import {
  NodeError,
  OPERATOR_REFRESH_INTERVAL_MS,
  refreshAckStatement,
  type CommitRefreshCall,
  type CommitRefreshReply,
  type KeyInfoCall,
  type RefreshCall,
  type RefreshReply,
  type RefreshStateReply,
} from './api.ts';
import { hex, isHex32, sessionInstance, type LoadedKey, type NodeContext } from './context.ts';

/** When this node last accepted an operator refresh, by key. */
const operatorRefreshes = new WeakMap<NodeContext, Map<string, number>>();

export async function refresh(ctx: NodeContext, call: RefreshCall, from: string): Promise<RefreshReply> {
  if (!call || !isHex32(call.sessionId)) throw new NodeError('BAD_CALL', 'sessionId must be 32 bytes of hex');
  const { meta, share } = notDerived(await ctx.keys.get(call.keyId));
  checkKeyLive(meta, ctx.requests);
  const byOperator = operatorRefreshes.get(ctx) ?? new Map<string, number>();
  operatorRefreshes.set(ctx, byOperator);
  if ('request' in call) {
    authorizeRefresh(call.request, meta, ctx.requests);
  } else if (call.operator === true) {
    const last = byOperator.get(call.keyId) ?? 0;
    if (Date.now() - last < OPERATOR_REFRESH_INTERVAL_MS) throw new NodeError('BAD_CALL', `key ${call.keyId} was refreshed by an operator less than ${OPERATOR_REFRESH_INTERVAL_MS / 1000} s ago`);
    ctx.log.info('operator refresh', { keyId: call.keyId, by: from });
  } else {
    throw new NodeError('BAD_CALL', "a refresh needs the owner's signed request or operator: true");
  }
  const instance = sessionInstance('refresh', call.sessionId, call.keyId);
  const machine = ctx.dkgParties.refresh({ instance, keyShare: share }, meta.parties);
  const fresh = await ctx.router.run(instance, machine, meta.parties, ctx.timeouts.keyGenMs, { protocol: 'refresh', keyId: call.keyId });
  const generation = hex(fresh.generation);
  await ctx.store.putPendingShare(call.keyId, generation, encodeKeyShare(fresh));
  if (!('request' in call)) byOperator.set(call.keyId, Date.now());
  const ack = hex(await ctx.signer.sign(refreshAckStatement(call.keyId, generation, meta.publicKey)));
  ctx.log.info('refresh ready to commit', { keyId: call.keyId, generation: generation.slice(0, 16) });
  return { keyId: call.keyId, generation, ack };
}

export async function commitRefresh(ctx: NodeContext, call: CommitRefreshCall): Promise<CommitRefreshReply> {
  const { meta } = notDerived(await ctx.keys.get(call?.keyId));
  if (typeof call.generation !== 'string' || !/^[0-9a-f]{64}$/.test(call.generation)) throw new NodeError('BAD_CALL', 'generation must be 32 bytes of lowercase hex');
  if (meta.generation === call.generation) return { keyId: call.keyId, generation: call.generation };
  const acks = call.acks && typeof call.acks === 'object' ? call.acks : {};
  const statement = refreshAckStatement(call.keyId, call.generation, meta.publicKey);
  for (const peer of meta.parties) {
    const ack = acks[peer];
    const ok = typeof ack === 'string' && /^[0-9a-f]{128}$/.test(ack) && (await ctx.signer.verify(peer, statement, hexToBytes(`0x${ack}`)));
    if (!ok) throw new NodeError('REFRESH_MISMATCH', `no valid acknowledgement of generation ${call.generation.slice(0, 16)} from ${peer}`, { keyId: call.keyId, peer });
  }
  try {
    await ctx.store.commitPendingShare(call.keyId, call.generation, {
      generation: call.generation,
      refreshRequired: [],
      refreshedAt: Math.floor(Date.now() / 1000),
      refreshAcks: Object.fromEntries(meta.parties.map((p) => [p, acks[p]])),
    });
  } catch (e) {
    if (isStoreError(e, 'STORE_NOT_FOUND')) throw new NodeError('REFRESH_MISMATCH', e.message, { keyId: call.keyId, generation: call.generation });
    throw e;
  }
  ctx.keys.drop(call.keyId);
  ctx.log.info('key refreshed', { keyId: call.keyId, generation: call.generation.slice(0, 16) });
  return { keyId: call.keyId, generation: call.generation };
}

/** Where a key stands: the generation in use, a pending one, and the acks of the one in use. */
export async function refreshState(ctx: NodeContext, call: KeyInfoCall): Promise<RefreshStateReply> {
  const { meta, share } = notDerived(await ctx.keys.get(call?.keyId));
  const pending = await ctx.store.pendingGeneration(call.keyId);
  const acks = meta.refreshAcks;
  return { keyId: call.keyId, generation: hex(share.generation), ...(pending ? { pending } : {}), ...(acks ? { acks } : {}) };
}

/** A derived key has no share of its own: refreshing its master refreshes it. */
function notDerived(key: LoadedKey): LoadedKey {
  if (key.meta.derivation) throw new NodeError('BAD_CALL', `key ${key.meta.keyId} is derived from master key ${key.meta.derivation.master}: refresh the master (the derived key stays the same)`);
  return key;
}
