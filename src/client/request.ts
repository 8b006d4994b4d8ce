// One authenticated dan_* call: check the unsigned params with the contract's validator (bad input
// fails here with the RpcError INVALID_PARAMS the server would return, before anything is signed),
// sign them (EIP-712, src/auth/) with the client's account, then send them with `auth` attached.
// Every action goes through here.
import { authorizeRequest } from '../auth/sign.ts';
import { validateUnsignedParams, type DanMethod, type DanParams, type DanResult, type UnsignedParams } from '../rpc/schema.ts';
import { rpcCall, type DanClientContext } from './transport.ts';

export async function signedCall<M extends DanMethod>(ctx: DanClientContext, method: M, params: UnsignedParams<M>): Promise<DanResult<M>> {
  validateUnsignedParams(method, params);
  const auth = await authorizeRequest(ctx.account, method, params, { network: await ctx.network(), expirySec: ctx.expirySec });
  return rpcCall(ctx, method, { ...params, auth } as DanParams<M>);
}
