// Action dan_nodes: the nodes the coordinator knows and their connection status.
import type { NodesResult } from '../../rpc/schema.ts';
import { signedCall } from '../request.ts';
import type { DanClientContext } from '../transport.ts';

export function nodes(ctx: DanClientContext): Promise<NodesResult> {
  return signedCall(ctx, 'dan_nodes', {});
}
