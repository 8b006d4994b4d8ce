// Typed errors of the threshold-ECDSA engine.
// Every abort names a stable `code` and, where the protocol can attribute it, the suspected party.
// `ban` marks failures that may leak long-term OT secrets if retried (selective-failure attacks,
// docs/bans.md): callers must stop working with that party until an operator intervenes.
// When a protocol session aborts, the round engine (protocols/machine.ts) also records the round
// and, when the error names a peer whose message for that round it holds, that message's exact
// envelope bytes as `evidence`, for the caller's logs or an operator's review. An equivocation
// (a party signed two different round-1 broadcasts, protocols/echo.ts) is reported with a proof
// instead: `evidence` is then an EquivocationProof that anyone can check and `proof` is set.
import { DanError } from '../errors/index.ts';

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
  | 'BAD_BROADCAST_SIGNATURE'
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

export class TssError extends DanError<TssErrorCode> {
  override name = 'TssError';
  /** The round being processed, or the round of the offending message, when a session aborted. */
  round?: number;
  /** The exact envelope bytes received from `party` for `round` (the offending message), when known. */
  evidence?: Uint8Array;
  /**
   * True when `evidence` is a transferable proof rather than a message as received: an encoded
   * EquivocationProof (proto/tss.proto; check it with verifyEquivocationProof) showing that
   * `party` signed two different round-1 broadcasts of the session. With no `party`, the proof is
   * against this party's own key (it signed a broadcast this engine did not send).
   */
  proof?: boolean;
  constructor(
    code: TssErrorCode,
    message: string,
    /** The party this error is attributed to, when the protocol can tell. */
    readonly party?: number,
    /** True when the party must be banned (OT/RVOLE consistency failures, see docs/bans.md). */
    readonly ban = false,
  ) {
    super(code, party === undefined ? message : `${message} (party ${party})`, party === undefined ? { ban } : { party, ban });
  }
}

/** Throw a TssError; small helper so checks read as one line. */
export function abort(code: TssErrorCode, message: string, party?: number, ban = false): never {
  throw new TssError(code, message, party, ban);
}

export function check(condition: boolean, code: TssErrorCode, message: string, party?: number, ban = false): asserts condition {
  if (!condition) throw new TssError(code, message, party, ban);
}
