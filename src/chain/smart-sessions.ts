// Smart Sessions (Rhinestone + Biconomy ERC-7579 validator module): the USE-mode userOp signature, the
// Session struct, permission ids and install / enable calldata.
//
// USE signature = 0x00 (SmartSessionMode.USE) || permissionId (32 bytes) || payload, where the payload
// depends on the deployed build. This is the ONE place that knows the difference:
//   'pre-v1' (the build shipped in @rhinestone/modulekit 0.5.9, used on the local devnet):
//            payload = LibZip.flzCompress(abi.encode(bytes signature))
//            (modulekit 0.5.9 src/test/helpers/SmartSessionHelpers.sol EncodeLib.encodeUse / decodeUse,
//            vendored from erc7579/smartsessions; module-sdk before 0.2 does the same with solady.js).
//   'v1'     (Smart Sessions v1.0.0 on live chains, module-sdk >= 0.2): payload = signature, raw.
// The compression is ./flz.ts (byte-identical to solady.js). The session key's signature is the 65-byte
// r || s || v (v in {27, 28}) EIP-191 signature of the userOp hash (viem hashMessage({ raw: userOpHash })).
//
// Session struct (pre-v1, as in modulekit 0.5.9 src/integrations/interfaces/ISmartSession.sol):
//   (address sessionValidator, bytes sessionValidatorInitData, bytes32 salt,
//    (address policy, bytes initData)[] userOpPolicies,
//    (string[] allowedERC7739Content, (address policy, bytes initData)[] erc1271Policies) erc7739Policies,
//    (bytes4 actionTargetSelector, address actionTarget, (address policy, bytes initData)[] actionPolicies)[] actions)
// v1.0.0 changed erc7739Policies (ERC7739Context[] instead of string[]) and added permitERC4337Paymaster;
// those are not encoded here.
//
// getPermissionId(session) = keccak256(abi.encode(sessionValidator, sessionValidatorInitData, salt)):
// IdLib.toPermissionId in erc7579/smartsessions (the same formula in the pre-v1 and v1.0.0 sources read),
// pure and computable off-chain; test/chain/onchain.test.ts checks it against the modulekit 0.5.9 bytecode.
// Module install data = abi.encode(Session[]) (ISmartSession.onInstall); enableSessions(Session[]) adds
// sessions to an account that already has the module.

import { concatHex, decodeAbiParameters, encodeAbiParameters, encodeFunctionData, isAddress, keccak256, type Address, type Hex } from 'viem';
import { ChainError, fail } from './errors.ts';
import { flzCompress, flzDecompress } from './flz.ts';

export type SmartSessionsVersion = 'pre-v1' | 'v1';
export const SMART_SESSIONS_VERSIONS: readonly SmartSessionsVersion[] = ['pre-v1', 'v1'];

/** SmartSessionMode enum (first byte of the userOp signature). */
export const SMART_SESSION_MODE = { USE: 0, ENABLE: 1, UNSAFE_ENABLE: 2 } as const;

export interface PolicyData {
  policy: Address;
  initData: Hex;
}

export interface ActionData {
  actionTargetSelector: Hex;
  actionTarget: Address;
  actionPolicies: readonly PolicyData[];
}

export interface ERC7739Data {
  allowedERC7739Content: readonly string[];
  erc1271Policies: readonly PolicyData[];
}

/** Smart Sessions (pre-v1) Session struct. */
export interface Session {
  sessionValidator: Address;
  sessionValidatorInitData: Hex;
  salt: Hex;
  userOpPolicies: readonly PolicyData[];
  erc7739Policies: ERC7739Data;
  actions: readonly ActionData[];
}

const policyDataComponents = [
  { name: 'policy', type: 'address' },
  { name: 'initData', type: 'bytes' },
] as const;

/** ABI components of the pre-v1 Session struct. */
export const sessionComponents = [
  { name: 'sessionValidator', type: 'address' },
  { name: 'sessionValidatorInitData', type: 'bytes' },
  { name: 'salt', type: 'bytes32' },
  { name: 'userOpPolicies', type: 'tuple[]', components: policyDataComponents },
  {
    name: 'erc7739Policies',
    type: 'tuple',
    components: [
      { name: 'allowedERC7739Content', type: 'string[]' },
      { name: 'erc1271Policies', type: 'tuple[]', components: policyDataComponents },
    ],
  },
  {
    name: 'actions',
    type: 'tuple[]',
    components: [
      { name: 'actionTargetSelector', type: 'bytes4' },
      { name: 'actionTarget', type: 'address' },
      { name: 'actionPolicies', type: 'tuple[]', components: policyDataComponents },
    ],
  },
] as const;

/** The subset of the pre-v1 Smart Sessions ABI this project calls. */
export const smartSessionsAbi = [
  {
    type: 'function',
    name: 'getPermissionId',
    stateMutability: 'pure',
    inputs: [{ name: 'session', type: 'tuple', components: sessionComponents }],
    outputs: [{ name: 'permissionId', type: 'bytes32' }],
  },
  {
    type: 'function',
    name: 'enableSessions',
    stateMutability: 'nonpayable',
    inputs: [{ name: 'sessions', type: 'tuple[]', components: sessionComponents }],
    outputs: [{ name: 'permissionIds', type: 'bytes32[]' }],
  },
  {
    type: 'function',
    name: 'removeSession',
    stateMutability: 'nonpayable',
    inputs: [{ name: 'permissionId', type: 'bytes32' }],
    outputs: [],
  },
  {
    type: 'function',
    name: 'isPermissionEnabled',
    stateMutability: 'view',
    inputs: [
      { name: 'permissionId', type: 'bytes32' },
      { name: 'account', type: 'address' },
    ],
    outputs: [{ name: '', type: 'bool' }],
  },
  {
    type: 'function',
    name: 'isInitialized',
    stateMutability: 'view',
    inputs: [{ name: 'smartAccount', type: 'address' }],
    outputs: [{ name: '', type: 'bool' }],
  },
] as const;

const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

function checkVersion(version: unknown): asserts version is SmartSessionsVersion {
  if (version !== 'pre-v1' && version !== 'v1') fail('INVALID_ARGUMENT', `unknown Smart Sessions version ${String(version)} (expected 'pre-v1' or 'v1')`, 'version');
}

function checkPermissionId(permissionId: unknown): asserts permissionId is Hex {
  if (typeof permissionId !== 'string' || !BYTES32.test(permissionId)) fail('INVALID_ARGUMENT', 'permissionId must be 32 bytes of 0x-hex', 'permissionId');
}

// The version-dependent part, both directions.
function encodePayload(signature: Hex, version: SmartSessionsVersion): Hex {
  switch (version) {
    case 'pre-v1':
      return flzCompress(encodeAbiParameters([{ type: 'bytes' }], [signature]));
    case 'v1':
      return signature;
  }
}

function decodePayload(payload: Hex, version: SmartSessionsVersion): Hex {
  switch (version) {
    case 'pre-v1': {
      let inflated: Hex;
      try {
        inflated = flzDecompress(payload, { maxLength: 64 * 1024 });
      } catch (e) {
        throw new ChainError('INVALID_SESSION_SIGNATURE', `pre-v1 payload is not a valid FastLZ stream: ${(e as Error).message}`, 'signature');
      }
      let sig: Hex;
      try {
        [sig] = decodeAbiParameters([{ type: 'bytes' }], inflated);
      } catch {
        fail('INVALID_SESSION_SIGNATURE', 'pre-v1 payload does not decompress to abi.encode(bytes)', 'signature');
      }
      if (encodeAbiParameters([{ type: 'bytes' }], [sig]) !== inflated.toLowerCase()) {
        fail('INVALID_SESSION_SIGNATURE', 'pre-v1 payload is not a canonical abi.encode(bytes)', 'signature');
      }
      return sig;
    }
    case 'v1':
      return payload;
  }
}

export interface EncodeUseSignatureParameters {
  permissionId: Hex;
  /** The session validator's signature (for this project: 65-byte r || s || v over the EIP-191 userOp digest). */
  signature: Hex;
  version: SmartSessionsVersion;
}

/** userOp.signature for Smart Sessions USE mode: 0x00 || permissionId || payload(version). */
export function encodeUseSignature({ permissionId, signature, version }: EncodeUseSignatureParameters): Hex {
  checkVersion(version);
  checkPermissionId(permissionId);
  if (typeof signature !== 'string' || !HEX_BYTES.test(signature) || signature.length <= 2) {
    fail('INVALID_ARGUMENT', 'signature must be non-empty 0x-hex of whole bytes', 'signature');
  }
  return concatHex(['0x00', permissionId.toLowerCase() as Hex, encodePayload(signature.toLowerCase() as Hex, version)]);
}

/** Inverse of encodeUseSignature; throws ChainError 'INVALID_SESSION_SIGNATURE' on anything else. */
export function decodeUseSignature(userOpSignature: Hex, version: SmartSessionsVersion): { permissionId: Hex; signature: Hex } {
  checkVersion(version);
  if (typeof userOpSignature !== 'string' || !HEX_BYTES.test(userOpSignature)) fail('INVALID_SESSION_SIGNATURE', 'signature must be 0x-hex of whole bytes', 'signature');
  const hex = userOpSignature.toLowerCase();
  if (hex.length < 2 + 33 * 2 + 2) fail('INVALID_SESSION_SIGNATURE', 'signature is shorter than mode (1) + permissionId (32) + payload', 'signature');
  const mode = parseInt(hex.slice(2, 4), 16);
  if (mode !== SMART_SESSION_MODE.USE) fail('INVALID_SESSION_SIGNATURE', `mode byte 0x${hex.slice(2, 4)} is not USE (0x00)`, 'signature');
  const permissionId = `0x${hex.slice(4, 68)}` as Hex;
  return { permissionId, signature: decodePayload(`0x${hex.slice(68)}`, version) };
}

/**
 * A well-formed 65-byte ECDSA signature (r || s || v, low s, v = 28) made by a throwaway key over a fixed
 * message: it recovers to some address, so validation runs its normal path and fails without reverting.
 * Its pre-v1 compressed payload has the largest size seen for random signatures (94 bytes).
 */
export const STUB_ECDSA_SIGNATURE: Hex =
  '0xc6991f0c1085ecb1b6e8eee1f0e9e43b7f1a75d6d5f46e719f4bf2db7cd1c7164a87dd3dbb390d3272bf4190382598f1cccdcfd18054c2160a2b7229265660621c';

/** USE signature with STUB_ECDSA_SIGNATURE, for gas estimation (same length as a real one). */
export function stubSignature(permissionId: Hex, version: SmartSessionsVersion): Hex {
  return encodeUseSignature({ permissionId, signature: STUB_ECDSA_SIGNATURE, version });
}

function checkSession(session: Session, field = 'session'): void {
  if (typeof session !== 'object' || session === null) fail('INVALID_SESSION', `${field} must be an object`, field);
  if (typeof session.sessionValidator !== 'string' || !isAddress(session.sessionValidator, { strict: false })) {
    fail('INVALID_SESSION', `${field}.sessionValidator must be an address`, `${field}.sessionValidator`);
  }
  if (typeof session.sessionValidatorInitData !== 'string' || !HEX_BYTES.test(session.sessionValidatorInitData)) {
    fail('INVALID_SESSION', `${field}.sessionValidatorInitData must be 0x-hex bytes`, `${field}.sessionValidatorInitData`);
  }
  if (typeof session.salt !== 'string' || !BYTES32.test(session.salt)) fail('INVALID_SESSION', `${field}.salt must be 32 bytes of 0x-hex`, `${field}.salt`);
}

/** Session id: keccak256(abi.encode(sessionValidator, sessionValidatorInitData, salt)). */
export function getPermissionId(session: Pick<Session, 'sessionValidator' | 'sessionValidatorInitData' | 'salt'>): Hex {
  checkSession(session as Session);
  return keccak256(
    encodeAbiParameters([{ type: 'address' }, { type: 'bytes' }, { type: 'bytes32' }], [session.sessionValidator, session.sessionValidatorInitData, session.salt]),
  );
}

function wrapEncode<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ChainError) throw e;
    throw new ChainError('INVALID_SESSION', `cannot encode ${what}: ${(e as Error).message.split('\n')[0]}`, 'sessions');
  }
}

/** abi.encode(Session) of one session. */
export function encodeSession(session: Session): Hex {
  checkSession(session);
  return wrapEncode('session', () => encodeAbiParameters([{ type: 'tuple', components: sessionComponents }], [session]));
}

/** Smart Sessions onInstall data: abi.encode(Session[]) ('0x' installs with no session). */
export function encodeSmartSessionsInstallData(sessions: readonly Session[]): Hex {
  if (sessions.length === 0) return '0x';
  sessions.forEach((s, i) => checkSession(s, `sessions[${i}]`));
  return wrapEncode('sessions', () => encodeAbiParameters([{ type: 'tuple[]', components: sessionComponents }], [sessions]));
}

/** Calldata of SmartSession.enableSessions(Session[]) (called by the account itself). */
export function encodeEnableSessions(sessions: readonly Session[]): Hex {
  if (sessions.length === 0) fail('INVALID_SESSION', 'enableSessions needs at least one session', 'sessions');
  sessions.forEach((s, i) => checkSession(s, `sessions[${i}]`));
  return wrapEncode('sessions', () => encodeFunctionData({ abi: smartSessionsAbi, functionName: 'enableSessions', args: [sessions] }));
}

/** Calldata of SmartSession.removeSession(permissionId). */
export function encodeRemoveSession(permissionId: Hex): Hex {
  checkPermissionId(permissionId);
  return encodeFunctionData({ abi: smartSessionsAbi, functionName: 'removeSession', args: [permissionId] });
}
