// dan-node client: `createDanClient({ url, account })` talks to a coordinator's JSON-RPC endpoint
// and signs every request's EIP-712 authentication with `account` (a viem LocalAccount, e.g.
// privateKeyToAccount). Each method is a small action in ./actions/ bound to a shared context, so
// other front ends (a viem client extension) can reuse the actions. Errors: RpcError for JSON-RPC
// errors from the server, DanClientError for HTTP/network/malformed-response failures.
import type { Address, LocalAccount } from 'viem';
import type { DanMethod, DanResult, KeyGenResult, KeyInfo, ListKeysResult, NodesResult, PresignStatusResult, RefreshKeyResult, SignResult, UnsignedParams } from '../rpc/schema.ts';
import { DEFAULT_EXPIRY_SEC } from '../auth/sign.ts';
import { getKey } from './actions/getKey.ts';
import { keyGen, type KeyGenArgs } from './actions/keyGen.ts';
import { listKeys } from './actions/listKeys.ts';
import { nodes } from './actions/nodes.ts';
import { presignStatus } from './actions/presignStatus.ts';
import { refreshKey } from './actions/refreshKey.ts';
import { sign, type SignArgs } from './actions/sign.ts';
import { signedCall } from './request.ts';
import { jsonRpc, type DanClientContext } from './transport.ts';
import { DanClientError } from './errors.ts';

export { DanClientError, type DanClientErrorCode } from './errors.ts';
export { RpcError, RpcErrorCode } from '../rpc/errors.ts';
export type { KeyGenArgs, SignArgs, DanClientContext };
export type * from '../rpc/schema.ts';
export { getKey, keyGen, listKeys, nodes, presignStatus, refreshKey, sign, signedCall };

export interface DanClientConfig {
  /** Coordinator JSON-RPC endpoint, e.g. http://127.0.0.1:8700/ */
  url: string;
  account: LocalAccount;
  /** Default: globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** Lifetime of each request's authentication, seconds (default 300; servers accept <= 3600). */
  expirySec?: number;
  /** Per-call time-out, milliseconds (default 30 000); BUSY refusals are tried again within it. */
  timeoutMs?: number;
  /** Extra HTTP headers for every call (e.g. an API key of a reverse proxy). */
  headers?: Record<string, string>;
  /**
   * The id of the network the requests are for (part of what every request signs). Default: asked
   * of the coordinator once (dan_network). Set it to be sure a coordinator of another network
   * cannot have you sign requests for its network.
   */
  network?: string;
}

export interface DanClient {
  readonly url: string;
  readonly account: LocalAccount;
  /** The network id the requests are signed for. */
  network(): Promise<string>;
  keyGen(params: KeyGenArgs): Promise<KeyGenResult>;
  sign(args: SignArgs): Promise<SignResult>;
  getKey(keyId: string): Promise<KeyInfo>;
  listKeys(owner?: Address): Promise<ListKeysResult>;
  nodes(): Promise<NodesResult>;
  presignStatus(keyId: string): Promise<PresignStatusResult>;
  /** New shares and OT correlations for the key at every party (owner only); same key and address. */
  refreshKey(keyId: string, requestId?: string): Promise<RefreshKeyResult>;
  /** Any dan_* method with unsigned params (auth is added). */
  request<M extends DanMethod>(method: M, params: UnsignedParams<M>): Promise<DanResult<M>>;
}

export function createDanClient(config: DanClientConfig): DanClient {
  const { account, fetch = globalThis.fetch, expirySec = DEFAULT_EXPIRY_SEC, timeoutMs = 30_000 } = config;
  let parsed: URL;
  try {
    parsed = new URL(config.url);
  } catch {
    throw new TypeError('createDanClient: url must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`createDanClient: url must be http(s), got ${parsed.protocol}`);
  if (!account || typeof account.signTypedData !== 'function') throw new TypeError('createDanClient: account must be a viem LocalAccount (with signTypedData)');
  if (!Number.isSafeInteger(expirySec) || expirySec <= 0) throw new TypeError('createDanClient: expirySec must be a positive integer');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError('createDanClient: timeoutMs must be positive');
  if (typeof fetch !== 'function') throw new TypeError('createDanClient: no fetch available; pass one');

  // fetch refuses URLs with credentials: move user:password@ into an Authorization header.
  const headers: Record<string, string> = { ...config.headers };
  if (parsed.username || parsed.password) {
    const basic = Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64');
    headers.authorization = `Basic ${basic}`;
    parsed.username = '';
    parsed.password = '';
  }
  const url = parsed.href;
  if (config.network !== undefined && (typeof config.network !== 'string' || !config.network)) throw new TypeError('createDanClient: network must be a non-empty string');
  let id = 0;
  let network: Promise<string> | undefined = config.network === undefined ? undefined : Promise.resolve(config.network);
  const transport = { url, headers, account, fetch, expirySec, timeoutMs, nextId: () => ++id };
  const askNetwork = async () => {
    const result = (await jsonRpc(transport, 'dan_network', {})) as { network?: unknown } | null;
    if (typeof result?.network !== 'string' || !result.network) throw new DanClientError('BAD_RESPONSE', `dan_network: ${transport.url} did not name its network`, { url: transport.url });
    return result.network;
  };
  const ctx: DanClientContext = {
    ...transport,
    network: () =>
      (network ??= askNetwork().catch((e: unknown) => {
        network = undefined; // ask again next time
        throw e;
      })),
  };
  return {
    url,
    account,
    network: ctx.network,
    keyGen: (params) => keyGen(ctx, params),
    sign: (args) => sign(ctx, args),
    getKey: (keyId) => getKey(ctx, keyId),
    listKeys: (owner) => listKeys(ctx, owner),
    nodes: () => nodes(ctx),
    presignStatus: (keyId) => presignStatus(ctx, keyId),
    refreshKey: (keyId, requestId) => refreshKey(ctx, keyId, requestId),
    request: (method, params) => signedCall(ctx, method, params),
  };
}
