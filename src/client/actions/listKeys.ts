// Action dan_listKeys: the keys of an owner (default: the client's account).
import type { Address } from 'viem';
import type { ListKeysResult } from '../../rpc/schema.ts';
import { signedCall } from '../request.ts';
import type { DanClientContext } from '../transport.ts';

export function listKeys(ctx: DanClientContext, owner: Address = ctx.account.address): Promise<ListKeysResult> {
  return signedCall(ctx, 'dan_listKeys', { owner });
}
