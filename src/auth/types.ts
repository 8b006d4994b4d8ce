// EIP-712 domain and struct types of dan-node request authentication, and the TypeScript types of
// the messages, derived from the table so that a new request kind is one entry in DAN_TYPES (plus a
// builder from its RPC params in messages.ts). Every kind ends with `expiry uint64` (unix seconds):
// the signature is only valid before it (checked at load time below, and by the tests).
// Domain: name, version and a salt naming the network (the `network` id every operator of one
// deployment shares in its config): a request signed for one network is refused by every other.
// No chainId and no verifying contract: a request is bound to a dan-node network, not to a chain.
import { keccak256, stringToBytes, type Address, type Hex, type TypedDataDomain } from 'viem';

/** The EIP-712 domain of requests to the dan-node network `network`. */
export function danDomain(network: string): { name: 'dan-node'; version: '2'; salt: Hex } {
  if (typeof network !== 'string' || network.length === 0) throw new TypeError('danDomain: network must be a non-empty string');
  const domain = { name: 'dan-node', version: '2', salt: keccak256(stringToBytes(`dan-node/network/${network}`)) } as const;
  return domain satisfies TypedDataDomain;
}

export const DAN_TYPES = {
  /** dan_keyGen, signed by the owner it names. */
  KeyGen: [
    { name: 'owner', type: 'address' },
    { name: 'threshold', type: 'uint32' },
    /** Number of parties; 0 when the coordinator chooses. */
    { name: 'parties', type: 'uint32' },
    /** Explicit peer ids, or empty when the coordinator chooses the nodes. */
    { name: 'nodes', type: 'string[]' },
    { name: 'authorizedSigners', type: 'address[]' },
    /** Key expiry, unix seconds, 0 = never. */
    { name: 'expiresAt', type: 'uint64' },
    /** canonicalJson(policy), '' when there is none. */
    { name: 'policy', type: 'string' },
    /** A key of its own (full DKG) rather than one derived from a master key. */
    { name: 'isolated', type: 'bool' },
    { name: 'requestId', type: 'string' },
    { name: 'expiry', type: 'uint64' },
  ],
  /** dan_sign: a raw 32-byte digest, signed as given. */
  Sign: [
    { name: 'keyId', type: 'string' },
    { name: 'digest', type: 'bytes32' },
    { name: 'requestId', type: 'string' },
    { name: 'expiry', type: 'uint64' },
  ],
  /** dan_signUserOperation: the v0.7 userOp hash that every node recomputes from the userOp. */
  SignUserOperation: [
    { name: 'keyId', type: 'string' },
    { name: 'userOpHash', type: 'bytes32' },
    { name: 'entryPoint', type: 'address' },
    { name: 'chainId', type: 'uint256' },
    { name: 'requestId', type: 'string' },
    { name: 'expiry', type: 'uint64' },
  ],
  /**
   * dan_useDistributedPermission: the calls (keccak256 of abi.encode((address,uint256,bytes)[])),
   * the account and session, the nonce lane, and the caps every node enforces on the userOp the
   * coordinator builds: fees per gas and the most the account may pay for gas (prefund). Every
   * field has one meaning (no "0 = the coordinator chooses"); the userOp has no factory and no
   * paymaster (see docs/signing.md).
   */
  UseDistributedPermission: [
    { name: 'keyId', type: 'string' },
    { name: 'account', type: 'address' },
    { name: 'permissionId', type: 'bytes32' },
    { name: 'callsHash', type: 'bytes32' },
    { name: 'lane', type: 'uint32' },
    { name: 'maxFeePerGas', type: 'uint256' },
    { name: 'maxPriorityFeePerGas', type: 'uint256' },
    { name: 'maxCost', type: 'uint256' },
    { name: 'requestId', type: 'string' },
    { name: 'expiry', type: 'uint64' },
  ],
  /** dan_refreshKey: new shares and OT correlations for the key (same public key), signed by its owner. */
  RefreshKey: [
    { name: 'keyId', type: 'string' },
    { name: 'requestId', type: 'string' },
    { name: 'expiry', type: 'uint64' },
  ],
  /** Read-only methods (dan_getKey, dan_listKeys, dan_nodes, dan_presignStatus). */
  Query: [
    { name: 'method', type: 'string' },
    /** canonicalJson of the RPC params without `auth`. */
    { name: 'params', type: 'string' },
    { name: 'expiry', type: 'uint64' },
  ],
} as const;

export type AuthKind = keyof typeof DAN_TYPES;
export const AUTH_KINDS = Object.keys(DAN_TYPES) as AuthKind[];

/** JSON-RPC `auth` member: who signed, the 65-byte signature, and the expiry it covers. */
export type { Auth } from '../rpc/schema.ts';

// --- Solidity type -> TypeScript type, for the message of each kind ------------------------------
type Field = { readonly name: string; readonly type: string };
type SmallUint = '8' | '16' | '24' | '32' | '40' | '48';
type Primitive<T extends string> = T extends `${infer E}[]`
  ? readonly Primitive<E>[]
  : T extends 'address'
    ? Address
    : T extends `bytes${string}`
      ? Hex
      : T extends 'string'
        ? string
        : T extends 'bool'
          ? boolean
          : T extends `uint${infer B}` | `int${infer B}`
            ? B extends SmallUint
              ? number
              : bigint
            : never;
type Struct<F extends readonly Field[]> = { -readonly [P in F[number] as P['name']]: Primitive<P['type']> };

/** The full EIP-712 message of a kind (what is hashed), including `expiry`. */
export type AuthMessage<K extends AuthKind> = K extends AuthKind ? Struct<(typeof DAN_TYPES)[K]> : never;
/** The message without `expiry`: what the builders produce from RPC params; `authorize` adds the expiry. */
export type AuthBody<K extends AuthKind> = K extends AuthKind ? Omit<AuthMessage<K>, 'expiry'> : never;

/** The `types` argument of signTypedData / hashTypedData for one kind (EIP712Domain is derived by viem). */
export function typesFor<K extends AuthKind>(kind: K): { [P in K]: (typeof DAN_TYPES)[K] } {
  return { [kind]: DAN_TYPES[kind] } as { [P in K]: (typeof DAN_TYPES)[K] };
}

for (const kind of AUTH_KINDS) {
  const last = DAN_TYPES[kind][DAN_TYPES[kind].length - 1];
  if (last.name !== 'expiry' || last.type !== 'uint64') throw new Error(`DAN_TYPES.${kind} must end with 'expiry uint64'`);
}
