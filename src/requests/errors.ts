// Why a request is refused, by the coordinator and by every node alike (codes in src/errors).
import { DanError } from '../errors/index.ts';

export type RequestErrorCode =
  | 'BAD_CALL'
  | 'UNAUTHORIZED'
  | 'KEY_EXPIRED'
  | 'POLICY_VIOLATION'
  | 'CAP_EXCEEDED'
  | 'REQUEST_CONFLICT'
  | 'EPHEMERAL_KEY_CONFLICT';

export class RequestError extends DanError<RequestErrorCode> {
  override name = 'RequestError';
}
