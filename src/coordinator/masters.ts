// Master keys (docs/derived-keys.md): one per signer group, made by a DKG that an operator asks
// for (`dan-node master create`, through this node's control socket), serving every key derived
// from it. The coordinator knows the masters its own node holds (read at start and after each
// creation) and gives keyGen the newest one whose threshold and parties fit the request.
import { zeroAddress } from 'viem';
import { NodeMethod, type KeyRecord } from '../node/api.ts';
import { RpcError, RpcErrorCode } from '../rpc/index.ts';
import { callNode, schedulable, type CoordinatorContext } from './context.ts';
import { runDkg } from './keygen.ts';
import { poolKey } from './keys.ts';

export class MasterKeys {
  private masters: KeyRecord[] = [];

  /** Read the master keys this coordinator's own node holds (they belong to no owner: the zero address). */
  async load(ctx: CoordinatorContext): Promise<void> {
    const keys = await callNode(ctx, ctx.nodes.self, NodeMethod.listKeys, { owner: zeroAddress }, 30_000);
    this.masters = keys.filter((k) => k.master === true);
    for (const m of this.masters) void ctx.pools.rebuild(poolKey(m)); // the nodes may hold presignatures from before
  }

  list(): readonly KeyRecord[] {
    return this.masters;
  }

  add(master: KeyRecord): void {
    if (!this.masters.some((m) => m.keyId === master.keyId)) this.masters.push(master);
  }

  /** The newest master for `threshold` over these parties (a count, explicit peer ids, or every operator). */
  pick(threshold: number, parties: number | readonly string[] | undefined, operators: readonly string[]): KeyRecord | undefined {
    const fits = (m: KeyRecord) =>
      m.threshold === threshold &&
      (Array.isArray(parties) ? m.parties.join() === parties.join() : m.parties.length === (typeof parties === 'number' ? parties : operators.length));
    return this.masters.filter(fits).sort((a, b) => b.createdAt - a.createdAt)[0];
  }
}

/** An operator's new master key for `threshold` of `parties` (default: every operator), all or nothing like any key. */
export async function createMasterKey(ctx: CoordinatorContext, masters: MasterKeys, threshold: number, parties?: readonly string[]): Promise<KeyRecord> {
  const nodes = parties ? [...parties] : [...ctx.nodes.operators];
  const unknown = nodes.filter((p) => !ctx.nodes.operators.includes(p));
  if (unknown.length) throw new RpcError(RpcErrorCode.INVALID_PARAMS, `unknown node(s): ${unknown.join(', ')}`, { reason: 'invalid_field', field: 'parties' });
  if (!nodes.includes(ctx.nodes.self)) throw new RpcError(RpcErrorCode.INVALID_PARAMS, 'this node must be among the parties of a master key it creates', { reason: 'invalid_field', field: 'parties' });
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > nodes.length) {
    throw new RpcError(RpcErrorCode.INVALID_PARAMS, `threshold must be an integer in 2..${nodes.length}`, { reason: 'invalid_field', field: 'threshold' });
  }
  const down = nodes.filter((p) => !schedulable(ctx, p));
  if (down.length) throw new RpcError(RpcErrorCode.QUORUM_UNAVAILABLE, `every party must be up to create a master key; not reachable or excluded: ${down.join(', ')}`, { reason: 'quorum_unavailable' });
  const info = await ctx.online('keyGen', () => runDkg(ctx, nodes, threshold, 'master key generation', (sessionId) => ({ sessionId, nodes, masterKey: { threshold } })));
  masters.add(info);
  return info;
}
