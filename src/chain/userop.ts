// ERC-4337 v0.7 user operations: the type, a strict parser from JSON, the RPC (hex) form and the
// userOp hash (viem's getUserOperationHash, after range checks).
//
// - `UserOperationV07` has viem's UserOperation<'0.7'> shape (bigint quantities, optional factory and
//   paymaster fields), so values flow into viem unchanged.
// - `parseUserOperation` accepts quantities as 0x-hex strings, decimal strings, bigints or safe integers,
//   and treats missing / null / '0x' factory and paymaster fields as absent (the legacy wallet-provider
//   client omits factory, paymaster and signature). It refuses what would make the hash ambiguous:
//   unknown fields, factoryData without a factory, paymaster fields without a paymaster, EIP-7702
//   factories (EntryPoint v0.7 has no 7702 support), gas values that do not fit their packed width.
// - `userOpHash` = EntryPoint v0.7 `getUserOpHash` (viem's `getUserOperationHash`, v0.7); the network
//   signs its EIP-191 personal_sign digest (viem `hashMessage({ raw })`), which the session validator
//   recovers on chain.

import { getAddress, isAddress, numberToHex, type Address, type Hex } from 'viem';
import { getUserOperationHash, type UserOperation } from 'viem/account-abstraction';
import { ChainError, fail } from './errors.ts';

/** ERC-4337 v0.7 user operation (viem's UserOperation<'0.7'> shape). */
export interface UserOperationV07 {
  sender: Address;
  nonce: bigint;
  factory?: Address | undefined;
  factoryData?: Hex | undefined;
  callData: Hex;
  callGasLimit: bigint;
  verificationGasLimit: bigint;
  preVerificationGas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  paymaster?: Address | undefined;
  paymasterVerificationGasLimit?: bigint | undefined;
  paymasterPostOpGasLimit?: bigint | undefined;
  paymasterData?: Hex | undefined;
  signature: Hex;
}

/** The JSON-RPC form bundlers take (eth_sendUserOperation): quantities as 0x-hex, absent fields omitted. */
export interface RpcUserOperationV07 {
  sender: Address;
  nonce: Hex;
  factory?: Address;
  factoryData?: Hex;
  callData: Hex;
  callGasLimit: Hex;
  verificationGasLimit: Hex;
  preVerificationGas: Hex;
  maxFeePerGas: Hex;
  maxPriorityFeePerGas: Hex;
  paymaster?: Address;
  paymasterVerificationGasLimit?: Hex;
  paymasterPostOpGasLimit?: Hex;
  paymasterData?: Hex;
  signature: Hex;
}

/** EntryPoint v0.7 at its canonical CREATE2 address. */
export const ENTRYPOINT_V07_ADDRESS: Address = '0x0000000071727De22E5E9d8BAf0edAc6f37da032';

const UINT128_MAX = (1n << 128n) - 1n;
const UINT256_MAX = (1n << 256n) - 1n;

const QUANTITY_FIELDS = {
  nonce: UINT256_MAX,
  callGasLimit: UINT128_MAX,
  verificationGasLimit: UINT128_MAX,
  preVerificationGas: UINT256_MAX,
  maxFeePerGas: UINT128_MAX,
  maxPriorityFeePerGas: UINT128_MAX,
  paymasterVerificationGasLimit: UINT128_MAX,
  paymasterPostOpGasLimit: UINT128_MAX,
} as const;

const KNOWN_FIELDS = new Set([
  'sender',
  'nonce',
  'factory',
  'factoryData',
  'callData',
  'callGasLimit',
  'verificationGasLimit',
  'preVerificationGas',
  'maxFeePerGas',
  'maxPriorityFeePerGas',
  'paymaster',
  'paymasterVerificationGasLimit',
  'paymasterPostOpGasLimit',
  'paymasterData',
  'signature',
]);

export interface ParseUserOperationOptions {
  /** Prefix for field names in errors (default 'userOperation'). */
  path?: string;
  /** Ignore fields this module does not know instead of refusing them (default false). */
  ignoreUnknownFields?: boolean;
}

function bad(path: string, field: string, message: string): never {
  throw new ChainError('INVALID_USER_OPERATION', `${path}.${field} ${message}`, `${path}.${field}`);
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Parse a uint from 0x-hex / decimal string, bigint or safe integer, bounded by `max`. */
export function parseQuantity(v: unknown, max: bigint): bigint | undefined {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) return undefined;
    n = BigInt(v);
  } else if (typeof v === 'string') {
    if (/^0x[0-9a-fA-F]{1,64}$/.test(v)) n = BigInt(v);
    else if (/^[0-9]{1,78}$/.test(v)) n = BigInt(v);
    else return undefined;
  } else return undefined;
  return n >= 0n && n <= max ? n : undefined;
}

function quantity(obj: Record<string, unknown>, field: keyof typeof QUANTITY_FIELDS, path: string): bigint {
  const v = obj[field];
  if (isAbsent(v)) bad(path, field, 'is required');
  const n = parseQuantity(v, QUANTITY_FIELDS[field]);
  if (n === undefined) {
    const bits = QUANTITY_FIELDS[field] === UINT128_MAX ? 128 : 256;
    bad(path, field, `must be a uint${bits} (0x-hex or decimal string, bigint or safe integer)`);
  }
  return n;
}

function optionalQuantity(obj: Record<string, unknown>, field: keyof typeof QUANTITY_FIELDS, path: string): bigint | undefined {
  return isAbsent(obj[field]) ? undefined : quantity(obj, field, path);
}

function bytes(obj: Record<string, unknown>, field: string, path: string, required: boolean): Hex | undefined {
  const v = obj[field];
  if (isAbsent(v)) {
    if (required) bad(path, field, 'is required');
    return undefined;
  }
  if (typeof v !== 'string' || !/^0x(?:[0-9a-fA-F]{2})*$/.test(v)) bad(path, field, 'must be 0x-prefixed hex of whole bytes');
  return v.toLowerCase() as Hex;
}

function address(obj: Record<string, unknown>, field: string, path: string, required: boolean): Address | undefined {
  const v = obj[field];
  if (isAbsent(v) || (!required && v === '0x')) {
    if (required) bad(path, field, 'is required');
    return undefined;
  }
  // Lowercase, uppercase, or mixed case with a valid EIP-55 checksum.
  if (typeof v !== 'string' || !(isAddress(v, { strict: true }) || /^0x[0-9A-F]{40}$/.test(v))) {
    bad(path, field, 'must be a 20-byte 0x-hex address (lowercase, uppercase or a valid EIP-55 checksum)');
  }
  return getAddress(v);
}

/**
 * Validate and normalise a v0.7 userOp given as JSON (or as an object with bigints). Throws ChainError
 * 'INVALID_USER_OPERATION' naming the first bad field. Absent optional fields are left out of the result.
 */
export function parseUserOperation(input: unknown, options: ParseUserOperationOptions = {}): UserOperationV07 {
  const path = options.path ?? 'userOperation';
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ChainError('INVALID_USER_OPERATION', `${path} must be an object`, path);
  }
  const obj = input as Record<string, unknown>;
  if (!options.ignoreUnknownFields) {
    for (const k of Object.keys(obj)) if (!KNOWN_FIELDS.has(k)) bad(path, k, 'is not a v0.7 userOp field');
  }

  const op: UserOperationV07 = {
    sender: address(obj, 'sender', path, true)!,
    nonce: quantity(obj, 'nonce', path),
    callData: bytes(obj, 'callData', path, true)!,
    callGasLimit: quantity(obj, 'callGasLimit', path),
    verificationGasLimit: quantity(obj, 'verificationGasLimit', path),
    preVerificationGas: quantity(obj, 'preVerificationGas', path),
    maxFeePerGas: quantity(obj, 'maxFeePerGas', path),
    maxPriorityFeePerGas: quantity(obj, 'maxPriorityFeePerGas', path),
    signature: bytes(obj, 'signature', path, false) ?? '0x',
  };

  const factory = address(obj, 'factory', path, false);
  const factoryData = bytes(obj, 'factoryData', path, false);
  if (factory !== undefined) {
    if (factory.toLowerCase().startsWith('0x7702')) bad(path, 'factory', 'is an EIP-7702 marker; EntryPoint v0.7 userOps cannot use EIP-7702');
    op.factory = factory;
    op.factoryData = factoryData ?? '0x';
  } else if (factoryData !== undefined && factoryData !== '0x') {
    bad(path, 'factoryData', 'is set but factory is not (initCode would ignore it)');
  }

  const paymaster = address(obj, 'paymaster', path, false);
  const pmVerification = optionalQuantity(obj, 'paymasterVerificationGasLimit', path);
  const pmPostOp = optionalQuantity(obj, 'paymasterPostOpGasLimit', path);
  const pmData = bytes(obj, 'paymasterData', path, false);
  if (paymaster !== undefined) {
    op.paymaster = paymaster;
    op.paymasterVerificationGasLimit = pmVerification ?? 0n;
    op.paymasterPostOpGasLimit = pmPostOp ?? 0n;
    op.paymasterData = pmData ?? '0x';
  } else {
    if (pmVerification) bad(path, 'paymasterVerificationGasLimit', 'is set but paymaster is not');
    if (pmPostOp) bad(path, 'paymasterPostOpGasLimit', 'is set but paymaster is not');
    if (pmData !== undefined && pmData !== '0x') bad(path, 'paymasterData', 'is set but paymaster is not');
  }
  return op;
}

/** Check an in-memory userOp (e.g. built by code) with the same rules as `parseUserOperation`; returns it normalised. */
export function assertUserOperation(op: UserOperationV07, path = 'userOperation'): UserOperationV07 {
  return parseUserOperation(op, { path });
}

/** The JSON-RPC form of a userOp (0x-hex quantities, absent optional fields omitted). */
export function toRpcUserOperation(op: UserOperationV07): RpcUserOperationV07 {
  const rpc: RpcUserOperationV07 = {
    sender: op.sender,
    nonce: numberToHex(op.nonce),
    callData: op.callData,
    callGasLimit: numberToHex(op.callGasLimit),
    verificationGasLimit: numberToHex(op.verificationGasLimit),
    preVerificationGas: numberToHex(op.preVerificationGas),
    maxFeePerGas: numberToHex(op.maxFeePerGas),
    maxPriorityFeePerGas: numberToHex(op.maxPriorityFeePerGas),
    signature: op.signature,
  };
  if (op.factory) {
    rpc.factory = op.factory;
    rpc.factoryData = op.factoryData ?? '0x';
  }
  if (op.paymaster) {
    rpc.paymaster = op.paymaster;
    rpc.paymasterVerificationGasLimit = numberToHex(op.paymasterVerificationGasLimit ?? 0n);
    rpc.paymasterPostOpGasLimit = numberToHex(op.paymasterPostOpGasLimit ?? 0n);
    rpc.paymasterData = op.paymasterData ?? '0x';
  }
  return rpc;
}

function checkU128(n: bigint | undefined, field: string): void {
  if (n !== undefined && (n < 0n || n > UINT128_MAX)) fail('INVALID_USER_OPERATION', `userOperation.${field} does not fit in 128 bits`, `userOperation.${field}`);
}

export interface UserOpHashParameters {
  userOp: UserOperationV07;
  /** EntryPoint address (default: the canonical v0.7 address). */
  entryPoint?: Address;
  chainId: number | bigint;
}

/** EntryPoint v0.7 userOpHash (viem getUserOperationHash v0.7 = EntryPoint.getUserOpHash), after range checks. */
export function userOpHash({ userOp, entryPoint = ENTRYPOINT_V07_ADDRESS, chainId }: UserOpHashParameters): Hex {
  if (!isAddress(userOp.sender, { strict: false })) fail('INVALID_USER_OPERATION', 'userOperation.sender must be an address', 'userOperation.sender');
  if (userOp.nonce < 0n || userOp.nonce > UINT256_MAX) fail('INVALID_USER_OPERATION', 'userOperation.nonce must be a uint256', 'userOperation.nonce');
  if (userOp.preVerificationGas < 0n || userOp.preVerificationGas > UINT256_MAX) {
    fail('INVALID_USER_OPERATION', 'userOperation.preVerificationGas must be a uint256', 'userOperation.preVerificationGas');
  }
  for (const f of ['callGasLimit', 'verificationGasLimit', 'maxFeePerGas', 'maxPriorityFeePerGas', 'paymasterVerificationGasLimit', 'paymasterPostOpGasLimit'] as const) checkU128(userOp[f], f);
  const cid = BigInt(chainId);
  if (cid < 0n || cid > BigInt(Number.MAX_SAFE_INTEGER)) fail('INVALID_ARGUMENT', 'chainId must be a safe integer');
  if (!isAddress(entryPoint, { strict: false })) fail('INVALID_ARGUMENT', 'entryPoint must be an address');
  return getUserOperationHash({ chainId: Number(cid), entryPointAddress: entryPoint, entryPointVersion: '0.7', userOperation: userOp as UserOperation<'0.7'> });
}
