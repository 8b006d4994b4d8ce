// Action dan_presignStatus: presignature pool levels of a key, per signer set.
import type { PresignStatusResult } from '../../rpc/schema.ts';
import { signedCall } from '../request.ts';
import type { DanClientContext } from '../transport.ts';

export function presignStatus(ctx: DanClientContext, keyId: string): Promise<PresignStatusResult> {
  return signedCall(ctx, 'dan_presignStatus', { keyId });
}
