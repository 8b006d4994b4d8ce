// Errors of the legacy wallet-provider endpoint. The legacy protocol has no error frame: the server
// closes the WebSocket with the close code the registry (src/errors) gives the error's code, and a
// reason text carrying the code and a short explanation (see closeOf).
import { DanError, codeOfRpc, errorSpec } from '../errors/index.ts';
import { RpcError } from '../rpc/errors.ts';

export type CompatErrorCode =
  | 'MALFORMED_FRAME' // a frame that is not what the protocol step expects
  | 'UNSUPPORTED' // a valid request this network does not serve (t or n, request type)
  | 'UNAUTHORIZED' // authentication failed or the signer may not use the key
  | 'EXPIRED' // the ephemeral key is past its expiry
  | 'UNKNOWN_KEY'
  | 'QUORUM_UNAVAILABLE'
  | 'TIMEOUT'
  | 'INTERNAL';

export class CompatError extends DanError<CompatErrorCode> {
  override name = 'CompatError';
}

/**
 * The close frame for any error: its code in the registry (an RpcError through its JSON-RPC code,
 * anything unknown as INTERNAL) and a reason of at most 123 bytes of UTF-8 (the control-frame limit).
 */
export function closeOf(e: unknown): { code: string; closeCode: number; reason: string } {
  const code = e instanceof DanError ? (e as DanError<string>).code : e instanceof RpcError ? rpcCode(e) : 'INTERNAL';
  const message = e instanceof DanError || e instanceof RpcError ? e.message : 'internal error';
  const full = `${code}: ${message}`;
  let reason = full;
  if (Buffer.byteLength(full) > 123) {
    reason = full.slice(0, 120);
    while (Buffer.byteLength(reason) > 120) reason = reason.slice(0, -1);
    reason += '...';
  }
  return { code, closeCode: errorSpec(code).ws, reason };
}

/** The registry code of an RpcError: the one it was made from (`data.code`), else its JSON-RPC code's. */
function rpcCode(e: RpcError): string {
  return typeof e.data?.code === 'string' ? e.data.code : codeOfRpc(e.code);
}

export function compatFail(code: CompatErrorCode, message: string, context?: Record<string, unknown>): never {
  throw new CompatError(code, message, context);
}
