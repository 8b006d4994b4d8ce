// Typed errors of the threshold-ECDSA engine.
// Every abort names a stable `code` and, where the protocol can attribute it, the suspected party.
// `ban` marks failures that may leak long-term OT secrets if retried (selective-failure attacks,
// DKLs23 notes §7.1): callers must stop working with that party until an operator intervenes.

export type TssErrorCode =
  | 'INVALID_PARAMETERS'
  | 'MALFORMED_MESSAGE'
  | 'UNEXPECTED_MESSAGE'
  | 'DUPLICATE_MESSAGE'
  | 'WRONG_SESSION'
  | 'INVALID_POINT'
  | 'INVALID_SCALAR'
  | 'INVALID_COMMITMENT'
  | 'INVALID_PROOF'
  | 'BROADCAST_MISMATCH'
  | 'NOT_UNIQUE_X'
  | 'FELDMAN_CHECK_FAILED'
  | 'PUBLIC_KEY_MISMATCH'
  | 'OT_CHECK_FAILED'
  | 'PPRF_CHECK_FAILED'
  | 'RVOLE_CHECK_FAILED'
  | 'CONSISTENCY_CHECK_FAILED'
  | 'PRESIGNATURE_CONSUMED'
  | 'PRESIGNATURE_STALE'
  | 'INVALID_PARTIAL'
  | 'INVALID_SIGNATURE'
  | 'SESSION_CLOSED';

export class TssError extends Error {
  override readonly name = 'TssError';
  constructor(
    readonly code: TssErrorCode,
    message: string,
    /** The party this error is attributed to, when the protocol can tell. */
    readonly party?: number,
    /** True when the party must be banned (OT/RVOLE consistency failures, see notes §7.1). */
    readonly ban = false,
  ) {
    super(party === undefined ? message : `${message} (party ${party})`);
  }
}

/** Throw a TssError; small helper so checks read as one line. */
export function abort(code: TssErrorCode, message: string, party?: number, ban = false): never {
  throw new TssError(code, message, party, ban);
}

export function check(condition: boolean, code: TssErrorCode, message: string, party?: number, ban = false): asserts condition {
  if (!condition) throw new TssError(code, message, party, ban);
}
