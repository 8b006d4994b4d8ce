// The calls a coordinator makes to nodes (over src/net, or in process for its own node).
// Bodies are JSON. Every node checks each call itself: the user's signed request travels with
// keyGen and sign calls, so a coordinator (or any peer) cannot make a node sign what the key's
// owner did not ask for.
import type { Address } from 'viem';
import type { LegacyRequest } from '../compat/requests.ts';
import type { KeyGenParams, SignParams, SignUserOperationParams, UseDistributedPermissionParams, UserOperationJson } from '../rpc/index.ts';

export const NodeMethod = {
  keyGen: 'node.keyGen',
  presign: 'node.presign',
  sign: 'node.sign',
  presignatures: 'node.presignatures',
  keyInfo: 'node.keyInfo',
  listKeys: 'node.listKeys',
  signUserOp: 'node.signUserOp',
  signLegacy: 'node.signLegacy',
  addEphemeralKey: 'node.addEphemeralKey',
} as const;

export type KeyGenCall = {
  /** 32-byte hex session id, fresh per run. */
  sessionId: string;
  /** Peer ids of the parties, in party order (this node among them). */
  nodes: string[];
} & (
  | {
      /** The owner's signed dan_keyGen request. */
      request: KeyGenParams;
    }
  | {
      /** A legacy wallet-provider keygen, frames as the client sent them (src/compat). */
      legacy: LegacyRequest;
    }
);
export interface KeyGenReply {
  keyId: string;
  publicKey: string;
}

export interface PresignCall {
  sessionId: string;
  keyId: string;
  /** Party indices of the signers, ascending. */
  signers: number[];
}
export interface PresignReply {
  presignatureId: string;
}

export interface SignCall {
  presignatureId: string;
  /** The signed dan_sign request (owner or authorized signer). */
  request: SignParams;
}
export interface SignReply {
  /** Engine PartialSignature bytes, hex. */
  partial: string;
}

/**
 * Sign a userOp's EIP-191 digest. The node recomputes the v0.7 userOp hash itself. For
 * dan_signUserOperation the userOp is the one in the user's request; for
 * dan_useDistributedPermission it is the one the coordinator built, and the node checks that its
 * sender, calls, nonce and fees are what the user signed, on the node's own chain.
 */
export type SignUserOpCall =
  | { presignatureId: string; method: 'dan_signUserOperation'; request: SignUserOperationParams }
  | { presignatureId: string; method: 'dan_useDistributedPermission'; request: UseDistributedPermissionParams; userOperation: UserOperationJson };

/** Sign the EIP-191 digest of the userOp in a legacy signgen request (the node checks it all itself). */
export interface SignLegacyCall {
  presignatureId: string;
  legacy: LegacyRequest;
}

/** Register another ephemeral key with a key (legacy addEphemeralKey, signed by the key's owner). */
export interface AddEphemeralKeyCall {
  legacy: LegacyRequest;
}
export interface AddEphemeralKeyReply {
  ephId: string;
}

/** A node's own view of the chain it signs for (config `chain`). */
export interface NodeChain {
  chainId: number;
  entryPoint: Address;
  /** The Smart Sessions module: userOps for sessions use its nonce key. */
  smartSessions: Address;
}

export interface PresignaturesCall {
  keyId: string;
}
export interface PresignaturesReply {
  presignatures: { id: string; signers: number[] }[];
}

export interface KeyInfoCall {
  keyId: string;
}

export interface ListKeysCall {
  owner: string;
}

export type NodeErrorCode =
  | 'BAD_CALL'
  | 'UNAUTHORIZED'
  | 'UNKNOWN_KEY'
  | 'KEY_EXPIRED'
  | 'NOT_A_PARTY'
  | 'REQUEST_CONFLICT'
  | 'PRESIGNATURE_UNAVAILABLE'
  | 'POLICY_VIOLATION'
  | 'PROTOCOL_ABORTED'
  | 'TIMEOUT';

export class NodeError extends Error {
  override readonly name = 'NodeError';
  constructor(
    readonly code: NodeErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
