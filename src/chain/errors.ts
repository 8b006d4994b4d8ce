// Typed errors of the chain module (userOp parsing, Nexus call encoding, Smart Sessions signatures, FastLZ).
// `code` is stable and machine-readable; `field` names the offending input field when there is one
// (dotted path, e.g. 'userOperation.nonce', 'calls[1].to'). Messages are for humans and may change.
// Bundler failures have their own class (BundlerError in bundler.ts) because they carry the bundler's
// JSON-RPC error and the ERC-4337 AA code.

export type ChainErrorCode =
  /** A userOp (JSON or object) is malformed: missing field, bad hex, value out of range, unknown field. */
  | 'INVALID_USER_OPERATION'
  /** A call to encode is malformed (bad address, negative value, ...). */
  | 'INVALID_CALL'
  /** Calldata that is not exactly a Nexus `execute` this module produces (single or batch, default exec type). */
  | 'UNSUPPORTED_CALLDATA'
  /** A Smart Sessions signature that cannot be decoded (wrong mode byte, truncated, bad payload). */
  | 'INVALID_SESSION_SIGNATURE'
  /** A Smart Sessions session struct or parameter that cannot be encoded. */
  | 'INVALID_SESSION'
  /** A FastLZ stream that is truncated, refers before the start of the output, or exceeds the size limit. */
  | 'INVALID_COMPRESSED_DATA'
  /** Any other bad argument (nonce key out of range, unknown version, ...). */
  | 'INVALID_ARGUMENT';

export class ChainError extends Error {
  override readonly name = 'ChainError';
  constructor(
    readonly code: ChainErrorCode,
    message: string,
    /** Offending input field, when known. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Throw a ChainError; keeps checks on one line. */
export function fail(code: ChainErrorCode, message: string, field?: string): never {
  throw new ChainError(code, message, field);
}
