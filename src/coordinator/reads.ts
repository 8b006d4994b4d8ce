// The read methods: a key's public description, an owner's keys (asked of every live node), every
// node's status and standing, and a key's presignature pools. Each checks its request's signature.
import type { Address } from 'viem';
import { allowedSigners, authenticate } from '../requests/index.ts';
import type { DanParams, DanResult, DanMethod } from '../rpc/index.ts';
import { NodeMethod, type KeyRecord } from '../node/api.ts';
import { callNode, checked, isLive, type CoordinatorContext } from './context.ts';
import { poolKey, publicKeyInfo } from './keys.ts';

/** Check a read request's signature; `allowed` undefined: any valid signer. */
function authorize<M extends DanMethod>(ctx: CoordinatorContext, method: M, p: DanParams<M>, allowed?: readonly string[]): void {
  checked(() => {
    if (allowed) authenticate(method, p, ctx.requests, allowed);
    else ctx.requests.verified.verify(method, p as never);
  });
}

export async function getKey(ctx: CoordinatorContext, p: DanParams<'dan_getKey'>): Promise<DanResult<'dan_getKey'>> {
  const key = await ctx.keys.require(p.keyId);
  authorize(ctx, 'dan_getKey', p, allowedSigners(key));
  return publicKeyInfo(key);
}

export async function listKeys(ctx: CoordinatorContext, p: DanParams<'dan_listKeys'>): Promise<DanResult<'dan_listKeys'>> {
  authorize(ctx, 'dan_listKeys', p, [p.owner]);
  const found = new Map<string, KeyRecord>();
  await Promise.all(
    ctx.nodes.operators.filter((peer) => isLive(ctx, peer)).map(async (peer) => {
      try {
        for (const k of await callNode(ctx, peer, NodeMethod.listKeys, { owner: p.owner }, ctx.o.timeouts.signMs)) found.set(k.keyId, k);
      } catch (e) {
        ctx.log.warn('listKeys: node did not answer', { peer, error: (e as Error).message });
      }
    }),
  );
  return { keys: [...found.values()].sort((a, b) => a.createdAt - b.createdAt).map(publicKeyInfo) };
}

export async function nodeStatus(ctx: CoordinatorContext, p: DanParams<'dan_nodes'>): Promise<DanResult<'dan_nodes'>> {
  authorize(ctx, 'dan_nodes', p);
  const { nodes, standings } = ctx;
  return {
    nodes: nodes.operators.map((peerId) => {
      const seen = nodes.lastSeen(peerId);
      const connected = isLive(ctx, peerId);
      const standing = standings.standing(peerId);
      const excluded = standings.excluded(peerId) ? standings.kind(peerId) : undefined;
      return {
        peerId,
        status: excluded ?? (peerId === nodes.self ? 'self' : connected ? 'connected' : 'disconnected'),
        connected,
        coordinator: peerId === nodes.self,
        ...(seen ? { lastSeen: Math.floor(seen / 1000) } : {}),
        ...(standing.length ? { standing } : {}),
      };
    }),
  };
}

export async function presignStatus(ctx: CoordinatorContext, p: DanParams<'dan_presignStatus'>): Promise<DanResult<'dan_presignStatus'>> {
  const key = await ctx.keys.require(p.keyId);
  authorize(ctx, 'dan_presignStatus', p, allowedSigners(key) as Address[]);
  // A derived key's pools are its master's.
  const pool = poolKey(key);
  if (ctx.pools.changed(pool)) await ctx.pools.rebuild(pool);
  return { keyId: key.keyId, pools: ctx.pools.status(pool.keyId) };
}
