// EIP-712 request authentication for dan-node: the client signs (authorize), the coordinator and
// every node verify (verifyAuth) before taking part in a request. See types.ts for the structs.
export { AuthError, type AuthErrorCode } from './errors.ts';
export { canonicalJson } from './canonical.ts';
export { danDomain, DAN_TYPES, AUTH_KINDS, typesFor, type Auth, type AuthKind, type AuthMessage, type AuthBody } from './types.ts';
export {
  keyGenMessage,
  signMessage,
  queryMessage,
  signUserOperationMessage,
  useDistributedPermissionMessage,
  userOperationHash,
  callsHash,
  authRequestFor,
  METHOD_AUTH,
  type AuthRequest,
} from './messages.ts';
export { authorize, authorizeRequest, DEFAULT_EXPIRY_SEC, type AuthorizeOptions } from './sign.ts';
export {
  verifyAuth,
  verifyRequest,
  requestDigest,
  contentDigest,
  assertSignerAllowed,
  DEFAULT_MAX_LIFETIME_SEC,
  type VerifyOptions,
  type VerifiedAuth,
} from './verify.ts';
export { VerifiedRequests, type VerifiedRequest } from './cache.ts';
