// A memo of verified requests, shared by the coordinator and the node in one process: the same
// signed request is checked once (EIP-712 hashing and recovery cost ~1 ms) instead of twice.
// Keyed by the exact request (method and every parameter, auth included), so a hit is a request
// that was verified before; expiry is checked again on every hit.
import type { Hex } from 'viem';
import type { Auth, DanMethod, UnsignedParams } from '../rpc/schema.ts';
import { authFail } from './errors.ts';
import { authRequestFor } from './messages.ts';
import { contentDigest, verifyRequest, type VerifiedAuth } from './verify.ts';

export interface VerifiedRequest extends VerifiedAuth {
  /** EIP-712 hash of the content with expiry 0: equal for retries of the same request. */
  content: Hex;
}

export class VerifiedRequests {
  private readonly memo = new Map<string, VerifiedRequest>();
  /** `network`: the network requests must be signed for (the node config's `network`). */
  constructor(
    readonly network: string,
    private readonly capacity = 4096,
  ) {}

  verify<M extends DanMethod>(method: M, params: UnsignedParams<M> & { auth: Auth }): VerifiedRequest {
    const key = `${method}\n${JSON.stringify(params)}`;
    const hit = this.memo.get(key);
    if (hit) {
      if (params.auth.expiry <= Math.floor(Date.now() / 1000)) authFail('AUTH_EXPIRED', `request authentication expired at ${params.auth.expiry}`, 'auth.expiry');
      return hit;
    }
    const verified = verifyRequest(method, params, { network: this.network });
    const { kind, body } = authRequestFor(method, params);
    const result = { ...verified, content: contentDigest(this.network, kind, body as never) };
    this.memo.set(key, result);
    if (this.memo.size > this.capacity) this.memo.delete(this.memo.keys().next().value!);
    return result;
  }
}
