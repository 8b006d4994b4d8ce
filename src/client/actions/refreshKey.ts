// Action dan_refreshKey: the key's owner has every party refresh its share (same key and address).
import type { RefreshKeyResult } from '../../rpc/schema.ts';
import { signedCall } from '../request.ts';
import type { DanClientContext } from '../transport.ts';

/** `requestId` defaults to a random UUID; reuse it to retry the same request idempotently. */
export function refreshKey(ctx: DanClientContext, keyId: string, requestId: string = crypto.randomUUID()): Promise<RefreshKeyResult> {
  return signedCall(ctx, 'dan_refreshKey', { keyId, requestId });
}
