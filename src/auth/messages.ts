// Builders from dan_* RPC params to the EIP-712 message bodies that are signed, and the table that
// says which kind authenticates which method. Client and server call the same builders on the same
// params (the server on the params as received, after validateParams, which never rewrites them),
// so both hash the same message. Params may carry `auth`; it is ignored here.
import { encodeAbiParameters, keccak256, type Address, type Hex } from 'viem';
import { parseUserOperation, userOpHash } from '../chain/userop.ts';
import { callsOf, type Call, type DanMethod, type UnsignedParams, type UserOperationJson } from '../rpc/schema.ts';
import { canonicalJson } from './canonical.ts';
import type { AuthBody, AuthKind } from './types.ts';

type WithOptionalAuth<P> = P & { auth?: unknown };

export function keyGenMessage(params: WithOptionalAuth<UnsignedParams<'dan_keyGen'>>): AuthBody<'KeyGen'> {
  const { parties } = params;
  return {
    owner: params.owner,
    threshold: params.threshold,
    parties: typeof parties === 'number' ? parties : (parties?.length ?? 0),
    nodes: Array.isArray(parties) ? [...(parties as readonly string[])] : [],
    authorizedSigners: [...(params.authorizedSigners ?? [])],
    expiresAt: BigInt(params.expiresAt ?? 0),
    policy: params.policy === undefined ? '' : canonicalJson(params.policy),
    isolated: params.isolated === true,
    requestId: params.requestId,
  };
}

export function signMessage(params: WithOptionalAuth<UnsignedParams<'dan_sign'>>): AuthBody<'Sign'> {
  return { keyId: params.keyId, digest: params.digest, requestId: params.requestId };
}

/** The v0.7 userOp hash of a JSON user operation (missing factory/paymaster fields are empty). */
export function userOperationHash(userOp: UserOperationJson, entryPoint: Address, chainId: number): Hex {
  return userOpHash({ userOp: parseUserOperation({ ...userOp, signature: '0x' }), entryPoint, chainId });
}

export function signUserOperationMessage(params: WithOptionalAuth<UnsignedParams<'dan_signUserOperation'>>): AuthBody<'SignUserOperation'> {
  return {
    keyId: params.keyId,
    userOpHash: userOperationHash(params.userOperation, params.entryPoint, params.chainId),
    entryPoint: params.entryPoint,
    chainId: BigInt(params.chainId),
    requestId: params.requestId,
  };
}

/** keccak256(abi.encode((address to, uint256 value, bytes data)[])) of the calls. */
export function callsHash(calls: readonly Call[]): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'tuple[]', components: [{ name: 'to', type: 'address' }, { name: 'value', type: 'uint256' }, { name: 'data', type: 'bytes' }] }],
      [callsOf(calls)],
    ),
  );
}

export function useDistributedPermissionMessage(params: WithOptionalAuth<UnsignedParams<'dan_useDistributedPermission'>>): AuthBody<'UseDistributedPermission'> {
  return {
    keyId: params.keyId,
    account: params.account,
    permissionId: params.permissionId,
    callsHash: callsHash(params.calls),
    lane: params.lane ?? 0,
    maxFeePerGas: BigInt(params.maxFeePerGas),
    maxPriorityFeePerGas: BigInt(params.maxPriorityFeePerGas),
    maxCost: BigInt(params.maxCost),
    requestId: params.requestId,
  };
}

/** Query: the method name and canonicalJson of its params without `auth`. */
export function queryMessage(method: string, params: object): AuthBody<'Query'> {
  const { auth: _auth, ...rest } = params as { auth?: unknown };
  return { method, params: canonicalJson(rest) };
}

/** A message body tagged with its kind. */
export type AuthRequest = { [K in AuthKind]: { kind: K; body: AuthBody<K> } }[AuthKind];

const query =
  <M extends DanMethod>(method: M) =>
  (params: UnsignedParams<M>): AuthRequest => ({ kind: 'Query', body: queryMessage(method, params) });

/** Which kind authenticates each method, and how its body is built. A new method is one entry. */
export const METHOD_AUTH: { [M in DanMethod]: (params: WithOptionalAuth<UnsignedParams<M>>) => AuthRequest } = {
  dan_keyGen: (p) => ({ kind: 'KeyGen', body: keyGenMessage(p) }),
  dan_sign: (p) => ({ kind: 'Sign', body: signMessage(p) }),
  dan_getKey: query('dan_getKey'),
  dan_listKeys: query('dan_listKeys'),
  dan_nodes: query('dan_nodes'),
  dan_presignStatus: query('dan_presignStatus'),
  dan_signUserOperation: (p) => ({ kind: 'SignUserOperation', body: signUserOperationMessage(p) }),
  dan_useDistributedPermission: (p) => ({ kind: 'UseDistributedPermission', body: useDistributedPermissionMessage(p) }),
  dan_refreshKey: (p) => ({ kind: 'RefreshKey', body: { keyId: p.keyId, requestId: p.requestId } }),
};

/** The kind and message body that authenticate `method` called with `params`. */
export function authRequestFor<M extends DanMethod>(method: M, params: WithOptionalAuth<UnsignedParams<M>>): AuthRequest {
  return (METHOD_AUTH[method] as (p: typeof params) => AuthRequest)(params);
}
