// JSON-RPC 2.0 error codes and the typed error of the coordinator API (dan_* methods).
// Shared by the coordinator server (throws RpcError, serialises it with `toJSON`) and the client
// (rebuilds an RpcError from the response). `code` is the JSON-RPC code; `data.reason` is a stable,
// machine-readable string that callers may switch on ('expired', 'bad_signature', ...); `data.field`
// names the offending parameter (dotted path from `params`, e.g. 'auth.signature', 'parties[1]').
// Messages are for humans and may change; codes and reasons may not. `toRpcError` turns any error
// of the project's family (src/errors) into the RpcError a caller sees, through the code registry.
import { DanError, RPC_CODES } from '../errors/index.ts';

/** JSON-RPC 2.0 codes and this API's application codes (the registry in src/errors). */
export const RpcErrorCode = RPC_CODES;
export type RpcErrorCode = (typeof RpcErrorCode)[keyof typeof RpcErrorCode];

/** Stable reasons used by this package. Servers may add others; clients must tolerate unknown ones. */
export type RpcErrorReason =
  | 'parse_error'
  | 'invalid_request'
  | 'method_not_found'
  | 'invalid_field'
  | 'unknown_field'
  | 'missing_auth'
  | 'malformed_auth'
  | 'expired'
  | 'bad_signature'
  | 'signer_not_allowed'
  | 'unknown_key'
  | 'quorum_unavailable'
  | 'timeout'
  | 'request_conflict'
  | 'policy_violation'
  | 'bundler_error'
  | 'internal'
  | (string & {});

export interface RpcErrorData {
  reason: RpcErrorReason;
  field?: string;
  [k: string]: unknown;
}

/** The error object of a JSON-RPC 2.0 response. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: RpcErrorData;
}

export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: RpcErrorData,
  ) {
    super(message);
  }

  /** The `error` member of a JSON-RPC response. */
  toJSON(): RpcErrorObject {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }

  get reason(): string | undefined {
    return this.data?.reason;
  }
}

/** INVALID_PARAMS naming the field; `message` is the full sentence ('params.digest must be ...'). */
export function invalidParams(field: string, message: string, reason: RpcErrorReason = 'invalid_field'): RpcError {
  return new RpcError(RpcErrorCode.INVALID_PARAMS, message, { reason, field });
}

/** UNAUTHORIZED with a stable reason ('missing_auth', 'malformed_auth', 'expired', 'bad_signature', 'signer_not_allowed'). */
export function unauthorized(reason: RpcErrorReason, message: string, field?: string): RpcError {
  return new RpcError(RpcErrorCode.UNAUTHORIZED, message, field === undefined ? { reason } : { reason, field });
}

/**
 * What a JSON-RPC caller sees of any thrown value: an RpcError as it is; a DanError through the
 * code registry (its code in `data.code`, its context alongside); anything else as INTERNAL_ERROR
 * without details. `prefix` says what failed ('signing failed: ...').
 */
export function toRpcError(e: unknown, prefix?: string): RpcError {
  if (e instanceof RpcError) return e;
  if (!(e instanceof DanError)) return new RpcError(RpcErrorCode.INTERNAL_ERROR, prefix ? `${prefix}: internal error` : 'internal error', { reason: 'internal' });
  const err = e as DanError<string>;
  const { data } = err.toWire();
  const reason = typeof data?.reason === 'string' ? data.reason : err.spec.reason;
  return new RpcError(err.spec.rpc, prefix ? `${prefix}: ${err.message}` : err.message, { ...data, reason, code: err.code });
}
