// JSON-RPC 2.0 error codes and the typed error of the coordinator API (dan_* methods).
// Shared by the coordinator server (throws RpcError, serialises it with `toJSON`) and the client
// (rebuilds an RpcError from the response). `code` is the JSON-RPC code; `data.reason` is a stable,
// machine-readable string that callers may switch on ('expired', 'bad_signature', ...); `data.field`
// names the offending parameter (dotted path from `params`, e.g. 'auth.signature', 'parties[1]').
// Messages are for humans and may change; codes and reasons may not.

export const RpcErrorCode = {
  // JSON-RPC 2.0 standard codes.
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  // Application codes (-32000..-32099 is reserved for implementation-defined server errors).
  /** Missing, malformed, bad or expired request signature, or a signer that is not allowed. */
  UNAUTHORIZED: -32001,
  UNKNOWN_KEY: -32002,
  /** Fewer than `threshold` nodes answered. */
  QUORUM_UNAVAILABLE: -32003,
  TIMEOUT: -32004,
  /** A requestId was reused with different content. */
  REQUEST_CONFLICT: -32005,
  POLICY_VIOLATION: -32006,
  BUNDLER_ERROR: -32007,
} as const;
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
