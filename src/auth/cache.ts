// A memo of checked requests, shared by the coordinator and the node in one process: the same
// signed request is hashed and checked once (EIP-712 hashing costs ~0.07 ms, recovery ~0.6 ms)
// instead of at every step that needs it. Keyed by the exact request (method and every parameter,
// auth included), so a hit is that very request; expiry is checked again on every hit.
import type { Hex } from 'viem';
import type { Auth, DanMethod, UnsignedParams } from '../rpc/schema.ts';
import { authFail } from './errors.ts';
import { authRequestFor } from './messages.ts';
import { contentDigest, verifyAuth, type VerifiedAuth } from './verify.ts';

export interface VerifiedRequest extends VerifiedAuth {
  /** EIP-712 hash of the content with expiry 0: equal for retries of the same request. */
  content: Hex;
}

interface Entry {
  content: Hex;
  verified?: VerifiedAuth;
}

export class VerifiedRequests {
  private readonly memo = new Map<string, Entry>();

  /** `network`: the network requests must be signed for (the node config's `network`). */
  constructor(
    readonly network: string,
    private readonly capacity = 4096,
  ) {}

  /** The request's content hash (EIP-712, expiry 0): the same for every signature of the same request. */
  content<M extends DanMethod>(method: M, params: UnsignedParams<M> & { auth: Auth }): Hex {
    return this.entry(method, params).content;
  }

  /** Check the request's signature (once per exact request; expiry again on every call). */
  verify<M extends DanMethod>(method: M, params: UnsignedParams<M> & { auth: Auth }): VerifiedRequest {
    const entry = this.entry(method, params);
    if (entry.verified) {
      if (params.auth.expiry <= Math.floor(Date.now() / 1000)) authFail('AUTH_EXPIRED', `request authentication expired at ${params.auth.expiry}`, 'auth.expiry');
    } else {
      const { kind, body } = authRequestFor(method, params);
      entry.verified = verifyAuth(kind, body as never, params.auth, { network: this.network });
    }
    return { ...entry.verified, content: entry.content };
  }

  private entry<M extends DanMethod>(method: M, params: UnsignedParams<M> & { auth: Auth }): Entry {
    const key = `${method}\n${JSON.stringify(params)}`;
    let entry = this.memo.get(key);
    if (!entry) {
      const { kind, body } = authRequestFor(method, params);
      entry = { content: contentDigest(this.network, kind, body as never) };
      this.memo.set(key, entry);
      if (this.memo.size > this.capacity) this.memo.delete(this.memo.keys().next().value!);
    }
    return entry;
  }
}
