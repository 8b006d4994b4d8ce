// The signing-request core shared by the coordinator and every node (see authorize.ts).
export * from './types.ts';
export { RequestError, type RequestErrorCode } from './errors.ts';
export { authorizeSign, prepareSign, requestKeyId, authenticate, allowedSigners, checkKeyLive, type PreparedSign } from './authorize.ts';
export { checkPermissionUserOp, sessionNonceKey, maxGasCost } from './permission.ts';
export { parsePolicy, checkPolicy, checkRawSigning, tryDecodeCalls, type KeyPolicy, type AllowedCall, type DecodedCall } from './policy.ts';
export {
  deriveKeyId,
  nativeKeyGenTerms,
  legacyKeyGenTerms,
  authorizeRefresh,
  authorizeAddEphemeralKey,
  addEphemeralKeyId,
  registerEphemeralKey,
  MAX_EPHEMERAL_KEYS,
  type KeyGenTerms,
  type KeyGenParams,
  type RefreshKeyParams,
} from './keys.ts';
