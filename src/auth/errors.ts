// Typed errors of request authentication (EIP-712 signatures over dan_* requests).
// `code` is stable; `field` names the offending part of the request ('auth.expiry', 'auth.signature',
// 'auth.signer'). `toRpcError()` gives the JSON-RPC error the coordinator returns (UNAUTHORIZED with
// a stable `data.reason` from the registry in src/errors), so servers do not map codes by hand.
import { DanError } from '../errors/index.ts';
import { unauthorized, type RpcError } from '../rpc/errors.ts';

export type AuthErrorCode = 'AUTH_EXPIRED' | 'AUTH_BAD_SIGNATURE' | 'AUTH_MALFORMED' | 'AUTH_NOT_ALLOWED';

/** `field` names the offending part of the request; the RPC `data.reason` comes from the registry. */
export class AuthError extends DanError<AuthErrorCode> {
  override name = 'AuthError';
  constructor(code: AuthErrorCode, message: string, field?: string) {
    super(code, message, field === undefined ? {} : { field });
  }

  get field(): string | undefined {
    return this.context.field as string | undefined;
  }

  get reason(): string {
    return this.spec.reason;
  }

  /** JSON-RPC UNAUTHORIZED (-32001) with `data.reason` = `this.reason` and `data.field`. */
  toRpcError(): RpcError {
    return unauthorized(this.reason, this.message, this.field);
  }
}

export function authFail(code: AuthErrorCode, message: string, field?: string): never {
  throw new AuthError(code, message, field);
}
