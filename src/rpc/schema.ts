// The coordinator's JSON-RPC 2.0 contract: method names, parameter and result types of every dan_*
// method, and one parameter validator per method. Shared by the coordinator server and the client.
// Parameters are passed by name (a JSON object; a one-element array holding that object is also
// accepted). Every request carries `auth` (an EIP-712 signature, see src/auth/); this module only
// checks its shape, src/auth/ verifies it. Validators never rewrite values: the auth layer must hash
// exactly what the client signed. Addresses are accepted in any valid case; compare them
// case-insensitively. Times are unix seconds.
import type { Address, Hex } from 'viem';
import type { RpcUserOperationV07 } from '../chain/userop.ts';
import { RpcError, RpcErrorCode, unauthorized } from './errors.ts';
import {
  address,
  boolean,
  arrayOf,
  fail,
  hexBytes,
  int,
  isPlainObject,
  jsonObject,
  object,
  optional,
  string,
  type Check,
  type Infer,
  type JsonObject,
  type Shape,
  type JsonValue,
} from './fields.ts';

export type { JsonObject, JsonValue };

// ---------------------------------------------------------------------------------------------
// Types

/** Request authentication: an EIP-712 signature by `signer` over the request, valid until `expiry`. */
export interface Auth {
  signer: Address;
  /** 65 bytes r || s || v, v in {27, 28} (0/1 accepted), low s. */
  signature: Hex;
  /** Unix seconds; the request is refused at or after this time. */
  expiry: number;
}

export interface KeyGenParams {
  /** Signers needed to sign, 2..16. */
  threshold: number;
  /** Number of parties (the coordinator picks the nodes) or the explicit peer ids; default: all nodes. */
  parties?: number | readonly string[];
  /** The key's owner; must be the signer of this request. */
  owner: Address;
  /** Addresses besides the owner allowed to request signatures. */
  authorizedSigners?: readonly Address[];
  /** Unix seconds after which the key no longer signs; 0 or absent = never. */
  expiresAt?: number;
  policy?: JsonObject;
  /**
   * true: a key of its own, made by a full DKG (seconds). Default: a key derived from the
   * network's master key for these nodes (instant; docs/derived-keys.md), or a DKG when the
   * network has no master key for them.
   */
  isolated?: boolean;
  requestId: string;
  auth: Auth;
}

export interface KeyGenResult {
  keyId: string;
  /** 33-byte compressed secp256k1 public key, 0x-hex. */
  publicKey: Hex;
  /** Checksummed Ethereum address of the key. */
  address: Address;
  threshold: number;
  parties: number;
  /** Peer ids of the nodes holding a share, in party order. */
  nodes: string[];
  /** A derived key: the id of the master key it is derived from (its nodes hold no share of its own). */
  derivedFrom?: string;
}

export interface SignParams {
  keyId: string;
  /** The 32-byte digest, signed as given. */
  digest: Hex;
  requestId: string;
  auth: Auth;
}

export interface SignResult {
  /** 65 bytes r || s || v, v in {27, 28}, low s. */
  signature: Hex;
  r: Hex;
  s: Hex;
  v: 27 | 28;
}

/**
 * An ERC-4337 v0.7 user operation as JSON (the bundler RPC form: addresses and bytes as 0x-hex,
 * quantities as 0x-hex); the signature may be omitted, it is not part of the hash.
 */
export type UserOperationJson = Omit<RpcUserOperationV07, 'signature'> & { signature?: Hex };

export interface SignUserOperationParams {
  keyId: string;
  userOperation: UserOperationJson;
  entryPoint: Address;
  chainId: number;
  requestId: string;
  auth: Auth;
}

export interface SignUserOperationResult {
  userOpHash: Hex;
  /** 65-byte ECDSA signature over the EIP-191 digest of userOpHash (v 27/28, low s). */
  signature: Hex;
}

export interface Call {
  to: Address;
  /** Wei, 0x-hex quantity (default 0). */
  value?: Hex;
  data?: Hex;
}

/** The calls with their defaults applied (value 0, data 0x): what is encoded, hashed and compared. */
export function callsOf(calls: readonly Call[]): { to: Address; value: bigint; data: Hex }[] {
  return calls.map((c) => ({ to: c.to, value: BigInt(c.value ?? '0x0'), data: c.data ?? '0x' }));
}

export interface UseDistributedPermissionParams {
  keyId: string;
  /** The smart account (Nexus) that granted the session. */
  account: Address;
  /** Smart Sessions permission id of the session. */
  permissionId: Hex;
  calls: Call[];
  /**
   * The nonce lane: the top 3 bytes of the Nexus nonce key, 0 to 2^24 - 1 (default 0). userOps on
   * different lanes of one account run in parallel; on one lane, one after the other.
   */
  lane?: number;
  /** Caps on the userOp's fees, wei per gas (every node refuses a userOp above them). */
  maxFeePerGas: Hex;
  maxPriorityFeePerGas: Hex;
  /**
   * The most the account may pay for gas, wei: every node refuses a userOp whose prefund,
   * (callGasLimit + verificationGasLimit + preVerificationGas) x maxFeePerGas, exceeds it.
   */
  maxCost: Hex;
  waitForReceipt?: boolean;
  requestId: string;
  auth: Auth;
}

export interface UseDistributedPermissionResult {
  userOpHash: Hex;
  receipt?: { success: boolean; transactionHash: Hex; blockNumber: Hex; actualGasUsed: Hex };
  /**
   * Where the time went, in ms: chainMs (nonce and fee reads), estimateMs (bundler gas estimate),
   * signMs (threshold signature), submitMs (eth_sendUserOperation), receiptMs (waiting for
   * inclusion), totalMs, and ownMs = totalMs minus the chain and bundler calls.
   */
  timings?: Record<string, number>;
}

export interface GetKeyParams {
  keyId: string;
  auth: Auth;
}

export interface KeyInfo extends KeyGenResult {
  owner: Address;
  authorizedSigners: Address[];
  /** Unix seconds, 0 = never. */
  expiresAt: number;
  policy?: JsonObject;
  /** Unix seconds. */
  createdAt: number;
}

export interface ListKeysParams {
  owner: Address;
  auth: Auth;
}

export interface ListKeysResult {
  keys: KeyInfo[];
}

export interface NodesParams {
  auth: Auth;
}

/** A node's record against a peer: a ban (a check that may leak secrets failed), a suspension (too many aborts) or a blame (a reported deviation). */
export interface PeerStanding {
  kind: 'banned' | 'suspended' | 'blamed';
  /** Peer id of the node that decided (a ban, a suspension) or reported (a blame). */
  by: string;
  /** The failed check: an engine code (OT_CHECK_FAILED, INVALID_PROOF, ...), ABORT_LIMIT or INVALID_PARTIAL. */
  check: string;
  reason: string;
  /** Unix seconds. */
  since: number;
  keyId?: string;
  session?: string;
}
export interface NodeInfo {
  peerId: string;
  /** Party index in this node's key shares, when known. */
  party?: number;
  /**
   * 'banned' / 'suspended' / 'blamed' when some node holds such a record against the peer (the
   * coordinator no longer schedules it), else whether it is connected to the coordinator.
   */
  status: 'self' | 'connected' | 'disconnected' | 'banned' | 'suspended' | 'blamed';
  connected: boolean;
  coordinator: boolean;
  /** Unix seconds of the last message from this peer. */
  lastSeen?: number;
  /** Every record against this peer, by every node that holds one. */
  standing?: PeerStanding[];
}

export interface NodesResult {
  nodes: NodeInfo[];
}

export interface PresignStatusParams {
  keyId: string;
  auth: Auth;
}

export interface PresignPool {
  /** Party indices of the signer set this pool serves. */
  signers: number[];
  available: number;
  target: number;
}

export interface PresignStatusResult {
  keyId: string;
  pools: PresignPool[];
}

export interface RefreshKeyParams {
  keyId: string;
  requestId: string;
  auth: Auth;
}
export interface RefreshKeyResult {
  keyId: string;
  /** Unchanged by a refresh. */
  publicKey: Hex;
  address: Address;
  /** Id of the new share generation (every party holds the same). */
  generation: Hex;
  nodes: string[];
}
export interface DanRpcSchema {
  dan_keyGen: { params: KeyGenParams; result: KeyGenResult };
  dan_sign: { params: SignParams; result: SignResult };
  dan_getKey: { params: GetKeyParams; result: KeyInfo };
  dan_listKeys: { params: ListKeysParams; result: ListKeysResult };
  dan_nodes: { params: NodesParams; result: NodesResult };
  dan_presignStatus: { params: PresignStatusParams; result: PresignStatusResult };
  dan_signUserOperation: { params: SignUserOperationParams; result: SignUserOperationResult };
  dan_useDistributedPermission: { params: UseDistributedPermissionParams; result: UseDistributedPermissionResult };
  dan_refreshKey: { params: RefreshKeyParams; result: RefreshKeyResult };
}
export type DanMethod = keyof DanRpcSchema;
export type DanParams<M extends DanMethod> = DanRpcSchema[M]['params'];
export type DanResult<M extends DanMethod> = DanRpcSchema[M]['result'];
/** The parameters of a method before they are signed. */
export type UnsignedParams<M extends DanMethod> = Omit<DanParams<M>, 'auth'>;

export const DAN_METHODS = [
  'dan_keyGen',
  'dan_sign',
  'dan_getKey',
  'dan_listKeys',
  'dan_nodes',
  'dan_presignStatus',
  'dan_signUserOperation',
  'dan_useDistributedPermission',
  'dan_refreshKey',
] as const satisfies readonly DanMethod[];

export function isDanMethod(method: unknown): method is DanMethod {
  return typeof method === 'string' && (DAN_METHODS as readonly string[]).includes(method);
}

// ---------------------------------------------------------------------------------------------
// Limits and field checks

export const LIMITS = {
  minThreshold: 2,
  maxParties: 16,
  maxAuthorizedSigners: 32,
  maxPolicyBytes: 16 * 1024,
  maxPolicyDepth: 8,
  maxIdLength: 128,
} as const;

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const PEER_ID = /^[A-Za-z0-9]{1,128}$/;

const id = string(ID, '1 to 128 characters of [A-Za-z0-9._:-]');
const peerId = string(PEER_ID, 'a peer id (1 to 128 base58/base32 characters)');
const unixSeconds = int(0, Number.MAX_SAFE_INTEGER);
const partyCount = int(LIMITS.minThreshold, LIMITS.maxParties);
const peerIds = arrayOf(peerId, { min: LIMITS.minThreshold, max: LIMITS.maxParties, distinct: true, describe: 'peer ids' });
const parties: Check<number | string[]> = (v, path) => {
  if (typeof v === 'number') return partyCount(v, path);
  if (Array.isArray(v)) return peerIds(v, path);
  return fail(path, `must be an integer in [${LIMITS.minThreshold}, ${LIMITS.maxParties}] or an array of distinct peer ids`);
};

const auth = object({ signer: address, signature: hexBytes(65), expiry: unixSeconds });

const QUANTITY = /^0x(0|[1-9a-fA-F][0-9a-fA-F]{0,63})$/;
const BYTES = /^0x([0-9a-fA-F]{2})*$/;
/** Nexus nonce lanes: the top 3 bytes of the 24-byte nonce key. */
export const MAX_LANE = 2 ** 24 - 1;

const quantity = string(QUANTITY, 'a 0x-hex quantity (no leading zeros, at most 256 bits)') as Check<Hex>;
const bytes = (maxBytes: number): Check<Hex> => (v, path) => {
  if (typeof v !== 'string' || !BYTES.test(v) || v.length > 2 + 2 * maxBytes) fail(path, `must be 0x-hex bytes (at most ${maxBytes} bytes)`);
  return v as Hex;
};
/** A v0.7 user operation in RPC form (validated, never rewritten); also used by src/compat. */
export const checkUserOperation: Check<UserOperationJson> = object({
  sender: address,
  nonce: quantity,
  factory: optional(address),
  factoryData: optional(bytes(64 * 1024)),
  callData: bytes(128 * 1024),
  callGasLimit: quantity,
  verificationGasLimit: quantity,
  preVerificationGas: quantity,
  maxFeePerGas: quantity,
  maxPriorityFeePerGas: quantity,
  paymaster: optional(address),
  paymasterVerificationGasLimit: optional(quantity),
  paymasterPostOpGasLimit: optional(quantity),
  paymasterData: optional(bytes(64 * 1024)),
  signature: optional(bytes(64 * 1024)),
});
const call = object({ to: address, value: optional(quantity), data: optional(bytes(64 * 1024)) });

/** The signed and the unsigned (client-side, before `auth` is added) validator of one method. */
interface MethodValidators<M extends DanMethod> {
  signed: Check<DanParams<M>>;
  unsigned: Check<UnsignedParams<M>>;
}

/** Validators for a method from its field shape (without `auth`) and an optional cross-field check. */
function method<S extends Shape>(shape: S, more: (params: Infer<S>) => void = () => {}): { signed: Check<Infer<S> & { auth: Auth }>; unsigned: Check<Infer<S>> } {
  const refine =
    <T>(check: Check<T>): Check<T> =>
    (v, path) => {
      const value = check(v, path);
      more(value as unknown as Infer<S>);
      return value;
    };
  return { signed: refine(object({ ...shape, auth }) as Check<unknown> as Check<Infer<S> & { auth: Auth }>), unsigned: refine(object(shape)) };
}

const VALIDATORS: { [M in DanMethod]: MethodValidators<M> } = {
  dan_keyGen: method(
    {
      threshold: int(LIMITS.minThreshold, LIMITS.maxParties),
      parties: optional(parties),
      owner: address,
      authorizedSigners: optional(arrayOf(address, { max: LIMITS.maxAuthorizedSigners, describe: 'addresses' })),
      expiresAt: optional(unixSeconds),
      policy: optional(jsonObject({ maxDepth: LIMITS.maxPolicyDepth, maxBytes: LIMITS.maxPolicyBytes })),
      isolated: optional(boolean),
      requestId: id,
    },
    (p) => {
      const n = typeof p.parties === 'number' ? p.parties : p.parties?.length;
      if (n !== undefined && n < p.threshold) fail('parties', `must be at least threshold (${p.threshold})`);
    },
  ),
  dan_sign: method({ keyId: id, digest: hexBytes(32), requestId: id }),
  dan_getKey: method({ keyId: id }),
  dan_listKeys: method({ owner: address }),
  dan_nodes: method({}),
  dan_presignStatus: method({ keyId: id }),
  dan_signUserOperation: method({ keyId: id, userOperation: checkUserOperation, entryPoint: address, chainId: int(1, Number.MAX_SAFE_INTEGER), requestId: id }),
  dan_useDistributedPermission: method({
    keyId: id,
    account: address,
    permissionId: hexBytes(32),
    calls: arrayOf(call, { min: 1, max: 16, describe: 'calls { to, value?, data? }' }),
    lane: optional(int(0, MAX_LANE)),
    maxFeePerGas: quantity,
    maxPriorityFeePerGas: quantity,
    maxCost: quantity,
    waitForReceipt: optional(((v, path) => (typeof v === 'boolean' ? v : fail(path, 'must be true or false'))) as Check<boolean>),
    requestId: id,
  }),
  dan_refreshKey: method({ keyId: id, requestId: id }),
};

function methodNotFound(method: unknown): RpcError {
  return new RpcError(RpcErrorCode.METHOD_NOT_FOUND, `method ${JSON.stringify(String(method)).slice(0, 80)} does not exist`, { reason: 'method_not_found' });
}

/**
 * Check the params of a dan_* call. Returns them typed (the same object, unmodified) or throws
 * RpcError: METHOD_NOT_FOUND for an unknown method, UNAUTHORIZED (reason 'missing_auth') when
 * `auth` is absent, INVALID_PARAMS with `data.field` naming the first bad field otherwise.
 */
export function validateParams<M extends DanMethod>(method: M, params: unknown): DanParams<M>;
export function validateParams(method: string, params: unknown): DanParams<DanMethod>;
export function validateParams(method: string, params: unknown): DanParams<DanMethod> {
  if (!isDanMethod(method)) throw methodNotFound(method);
  const p = Array.isArray(params) && params.length === 1 ? params[0] : params;
  if (p === undefined || (isPlainObject(p) && p.auth === undefined)) {
    throw unauthorized('missing_auth', 'params.auth is required: every request must be signed', 'auth');
  }
  return VALIDATORS[method].signed(p, 'params');
}

/**
 * The same checks on params before they are signed (no `auth`): the client runs them so that bad
 * input fails locally with the RpcError INVALID_PARAMS the server would return, before signing.
 */
export function validateUnsignedParams<M extends DanMethod>(method: M, params: unknown): UnsignedParams<M>;
export function validateUnsignedParams(method: string, params: unknown): UnsignedParams<DanMethod>;
export function validateUnsignedParams(method: string, params: unknown): UnsignedParams<DanMethod> {
  if (!isDanMethod(method)) throw methodNotFound(method);
  return VALIDATORS[method].unsigned(params ?? {}, 'params');
}
