// Action dan_getKey: public metadata of one key.
import type { KeyInfo } from '../../rpc/schema.ts';
import { signedCall } from '../request.ts';
import type { DanClientContext } from '../transport.ts';

export function getKey(ctx: DanClientContext, keyId: string): Promise<KeyInfo> {
  return signedCall(ctx, 'dan_getKey', { keyId });
}
