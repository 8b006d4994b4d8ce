// Typed errors of the node store (src/store).
// One class for the whole family with a stable `code` that callers branch on, plus a `context`
// object naming what was involved (path, key id, presignature id, request id, entry location).
// Assumes: context never carries secrets (no share bytes, no records, no operator secret), so
// errors can be logged as they are.

import { DanError } from '../errors/index.ts';

export type StoreErrorCode =
  /** The operator secret does not decrypt this database (check value failed). */
  | 'STORE_WRONG_SECRET'
  /** The database directory is already opened by another process (or another handle in this one). */
  | 'STORE_LOCKED'
  /** An entry fails authentication/decoding or the layout is inconsistent; never retry blindly. */
  | 'STORE_CORRUPT'
  /** A write would overwrite something that must not be overwritten (key id, presignature id, journal entry). */
  | 'STORE_CONFLICT'
  /** The entry the operation needs does not exist. */
  | 'STORE_NOT_FOUND';

/** `context`: what was involved (path, keyId, presignatureId, requestId, location...). Never secrets. */
export class StoreError extends DanError<StoreErrorCode> {
  override name = 'StoreError';
}

/** True when `e` is a StoreError, optionally with the given code. */
export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
