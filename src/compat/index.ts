// The legacy wallet-provider protocol (what @biconomy/sdk 0.0.10's danActions speaks): frames,
// authentication and request checks (pure, shared by the coordinator and every node), and the
// WebSocket endpoint on the coordinator's RPC port (server.ts).
export { CompatError, closeOf, type CompatErrorCode } from './errors.ts';
export { keygenResult, signgenResult, parseKeygenSetup, parseSigngenSetup, parseAddEphemeralKeySetup, parseAuthFrame, parseClaim, TAG, LIMITS as LEGACY_LIMITS, type EphemeralClaim } from './frames.ts';
export { LEGACY_DOMAIN, eoaTypedData, ephemeralSignedBytes } from './auth.ts';
export { checkKeygen, checkSigngen, checkAddEphemeralKey, signgenKeyId, decodeSignMessage, type LegacyRequest, type CheckedKeygen, type CheckedSigngen, type CheckedAddEphemeralKey } from './requests.ts';
