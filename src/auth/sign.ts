// Signing of request authentication by a client: an EIP-712 signature with a viem LocalAccount over
// the request's message and an expiry (default now + 300 s; the server accepts at most 3600 s by
// default). Assumes account.signTypedData yields a 65-byte r||s||v signature with low s (viem does).
import type { LocalAccount } from 'viem';
import type { Auth, DanMethod, UnsignedParams } from '../rpc/schema.ts';
import { authRequestFor } from './messages.ts';
import { danDomain, typesFor, type AuthBody, type AuthKind } from './types.ts';

export const DEFAULT_EXPIRY_SEC = 300;

export interface AuthorizeOptions {
  /** The network the request is for (its coordinator's `dan_network`); part of the EIP-712 domain. */
  network: string;
  /** Lifetime of the authentication, seconds from now (default 300). */
  expirySec?: number;
  /** Absolute expiry, unix seconds (overrides expirySec). */
  expiry?: number;
  /** Current time, unix seconds (default: the clock). */
  now?: number;
}

/** Sign `message` of `kind` with `account`; returns the `auth` member of the RPC params. */
export async function authorize<K extends AuthKind>(account: LocalAccount, kind: K, message: AuthBody<K>, opts: AuthorizeOptions): Promise<Auth> {
  const expirySec = opts.expirySec ?? DEFAULT_EXPIRY_SEC;
  if (!Number.isSafeInteger(expirySec) || expirySec <= 0) throw new RangeError(`expirySec must be a positive integer (got ${expirySec})`);
  const expiry = opts.expiry ?? (opts.now ?? Math.floor(Date.now() / 1000)) + expirySec;
  if (!Number.isSafeInteger(expiry) || expiry < 0) throw new RangeError(`expiry must be unix seconds (got ${expiry})`);
  const signature = await account.signTypedData({
    domain: danDomain(opts.network),
    types: typesFor(kind),
    primaryType: kind,
    message: { ...message, expiry: BigInt(expiry) },
  } as unknown as Parameters<LocalAccount['signTypedData']>[0]);
  return { signer: account.address, signature, expiry };
}

/** authorize for a dan_* call: builds the message from the unsigned params. */
export async function authorizeRequest<M extends DanMethod>(account: LocalAccount, method: M, params: UnsignedParams<M>, opts: AuthorizeOptions): Promise<Auth> {
  const { kind, body } = authRequestFor(method, params);
  return authorize(account, kind, body as AuthBody<typeof kind>, opts);
}
