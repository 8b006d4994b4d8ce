// Action dan_keyGen: create a distributed key owned by the client's account (the owner must sign).
import type { Address } from 'viem';
import type { KeyGenResult, UnsignedParams } from '../../rpc/schema.ts';
import { signedCall } from '../request.ts';
import type { DanClientContext } from '../transport.ts';

export type KeyGenArgs = Omit<UnsignedParams<'dan_keyGen'>, 'owner' | 'requestId'> & {
  /** Default: the client's account (the only owner the coordinator accepts from this signer). */
  owner?: Address;
  /** Default: a random UUID. Reuse it to retry the same request idempotently. */
  requestId?: string;
};

export function keyGen(ctx: DanClientContext, args: KeyGenArgs): Promise<KeyGenResult> {
  const { owner = ctx.account.address, requestId = crypto.randomUUID(), ...rest } = args;
  return signedCall(ctx, 'dan_keyGen', { ...rest, owner, requestId });
}
