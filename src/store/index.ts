// Public surface of the node store: encrypted key shares, presignature pool with atomic consume,
// request journal, pending refresh shares, pending (unconfirmed) keys, peer records (see store.ts for the layout and guarantees, crypto.ts for at-rest encryption);
// export/restore of its entries (for backups) and re-encryption under a new secret (rotate.ts).
// Assumes: callers import from here, not from the individual files.
export { NodeStore, type KeyMeta, type StoredKey, type PendingKeyInfo, type PresignatureInput, type PresignatureInfo, type JournalEntry, type OpenStoreOptions, type PeerRecord, type AbortEntry, type RestoreSummary } from './store.ts';
export { rotateSecret, type RotateResult } from './rotate.ts';
export { StoreError, isStoreError, type StoreErrorCode } from './errors.ts';
export { KDF, CIPHER } from './crypto.ts';
