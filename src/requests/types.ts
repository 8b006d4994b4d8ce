// The shapes of the signing-request core: what a coordinator sends every signer (SignRequest: the
// user's request as the user sent it, plus for dan_useDistributedPermission the userOp the
// coordinator built), the key terms a request is checked against, and what a checked request
// allows (AuthorizedSign: the one digest to sign, and what identifies the request).
import type { Address, Hex } from 'viem';
import type { VerifiedRequests } from '../auth/index.ts';
import type { LegacyRequest } from '../compat/requests.ts';
import type { EphemeralClaim } from '../compat/frames.ts';
import type { SignParams, SignUserOperationParams, UseDistributedPermissionParams, UserOperationJson } from '../rpc/schema.ts';

export type { LegacyRequest, EphemeralClaim };

/** A signing request of one of the three dialects, as it travels to every signer. */
export type SignRequest =
  /** dan_sign: a raw digest (refused on keys with a policy unless it allows raw signing). */
  | { kind: 'digest'; request: SignParams }
  /** dan_signUserOperation: the userOp the user sent (every signer recomputes its hash). */
  | { kind: 'userOperation'; request: SignUserOperationParams }
  /** dan_useDistributedPermission: the user's request and the userOp the coordinator built for it. */
  | { kind: 'permission'; request: UseDistributedPermissionParams; userOperation: UserOperationJson }
  /** A legacy wallet-provider signgen: the client's frames, verbatim. */
  | { kind: 'legacy'; legacy: LegacyRequest };

export type SignRequestKind = SignRequest['kind'];

/** What a request is checked against: the key's public record (as every party stores it). */
export interface KeyTerms {
  keyId: string;
  owner: string;
  authorizedSigners?: readonly string[];
  /** Unix seconds, 0 = never. */
  expiresAt?: number;
  policy?: unknown;
  threshold: number;
  /** Legacy keys: the ephemeral keys that may request signatures. */
  ephemeralKeys?: readonly EphemeralClaim[];
}

/** The chain a node signs userOps for (its config `chain`). */
export interface RequestChain {
  chainId: number;
  entryPoint: Address;
  /** The Smart Sessions module: userOps for sessions use its nonce key. */
  smartSessions: Address;
}

export interface RequestContext {
  /** Verifies (and memoises) EIP-712 request signatures for this node's network. */
  verified: VerifiedRequests;
  chain?: RequestChain;
  /** Unix seconds (default: the clock). */
  now?: number;
}

/** A checked signing request: sign `digest`, and only it, for `requestId` on `keyId`. */
export interface AuthorizedSign {
  kind: SignRequestKind;
  keyId: string;
  /** The request id, namespaced by dialect (legacy requests get one from their frames). */
  requestId: string;
  /** Identifies the request's content, stable across retries with a fresh signature. */
  requestHash: Hex;
  /** The 32-byte digest to sign. */
  digest: Hex;
  /** The address (or legacy ephemeral key id) that authorized it. */
  signer: string;
  /** For userOp requests: the userOp whose EIP-191 hash digest is. */
  userOperation?: UserOperationJson;
}
