// Action dan_sign: have the network sign a 32-byte digest as given with a distributed key.
import type { Hex } from 'viem';
import type { SignResult } from '../../rpc/schema.ts';
import { signedCall } from '../request.ts';
import type { DanClientContext } from '../transport.ts';

export interface SignArgs {
  keyId: string;
  digest: Hex;
  /** Default: a random UUID. Reuse it to retry the same request idempotently. */
  requestId?: string;
}

export function sign(ctx: DanClientContext, args: SignArgs): Promise<SignResult> {
  const { keyId, digest, requestId = crypto.randomUUID() } = args;
  return signedCall(ctx, 'dan_sign', { keyId, digest, requestId });
}
