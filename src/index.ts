// Package root: what applications import from 'dan-node'.
// - createDanClient: the JSON-RPC client for a dan-node coordinator (signs request auth itself).
// - the RPC contract (method params/results, error codes) and request authentication helpers.
export { createDanClient, DanClientError, type DanClient, type DanClientConfig } from './client/index.ts';
export { RpcError, RpcErrorCode, type KeyGenParams, type KeyGenResult, type SignParams, type SignResult, type KeyInfo } from './rpc/index.ts';
export { authorize, authorizeRequest, verifyRequest, danDomain, DAN_TYPES } from './auth/index.ts';
export { danActions, type DanActions, type DanActionsConfig, type UseDistributedPermissionArgs } from './client/dan-actions.ts';
export { danSession, nexusAccount, grantSessions, type SmartAccountContracts } from './client/smart-account.ts';
