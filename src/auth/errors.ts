// Typed errors of request authentication (EIP-712 signatures over dan_* requests).
// `code` is stable; `field` names the offending part of the request ('auth.expiry', 'auth.signature',
// 'auth.signer'). `toRpcError()` gives the JSON-RPC error the coordinator returns (UNAUTHORIZED with
// a stable `data.reason`), so servers do not map codes by hand.
import { unauthorized, type RpcError } from '../rpc/errors.ts';

export type AuthErrorCode = 'AUTH_EXPIRED' | 'AUTH_BAD_SIGNATURE' | 'AUTH_MALFORMED' | 'AUTH_NOT_ALLOWED';

/** The `data.reason` of the RPC error for each code. */
export const AUTH_ERROR_REASON = {
  AUTH_EXPIRED: 'expired',
  AUTH_BAD_SIGNATURE: 'bad_signature',
  AUTH_MALFORMED: 'malformed_auth',
  AUTH_NOT_ALLOWED: 'signer_not_allowed',
} as const satisfies Record<AuthErrorCode, string>;

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  get reason(): (typeof AUTH_ERROR_REASON)[AuthErrorCode] {
    return AUTH_ERROR_REASON[this.code];
  }

  /** JSON-RPC UNAUTHORIZED (-32001) with `data.reason` = `this.reason` and `data.field`. */
  toRpcError(): RpcError {
    return unauthorized(this.reason, this.message, this.field);
  }
}

export function authFail(code: AuthErrorCode, message: string, field?: string): never {
  throw new AuthError(code, message, field);
}
