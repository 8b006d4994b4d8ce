// A small ERC-4337 bundler client over JSON-RPC 2.0 (HTTP POST with fetch), EntryPoint v0.7.
//
// Methods: eth_estimateUserOperationGas, eth_sendUserOperation, eth_getUserOperationReceipt,
// eth_supportedEntryPoints and pimlico_getUserOperationGasPrice (alto / Pimlico; the 'fast' tier is used).
// Receipts are formatted with viem's formatUserOperationReceipt (bigints, viem log/receipt shapes).
//
// Errors are BundlerError with a stable `code`:
//   'BUNDLER_UNREACHABLE'  connection refused / reset, request timeout, HTTP error status.
//   'BUNDLER_BAD_RESPONSE' the bundler answered something that is not a JSON-RPC response of the expected shape.
//   'BUNDLER_REJECTED'     the bundler answered with a JSON-RPC error: `message` and `rpcCode`/`data` are
//                          the bundler's, and `aaCode` is the ERC-4337 EntryPoint code found in the message or
//                          data ('AA24 signature error' -> 'AA24'), when there is one.
//   'RECEIPT_TIMEOUT'      waitForUserOperationReceipt gave up; `cause` holds the last polling error if any.
// Assumes a bundler that speaks the ERC-4337 RPC with hex quantities (alto 0.0.20 was the one tried).

import { formatUserOperationReceipt, type UserOperationReceipt } from 'viem/account-abstraction';
import { isAddress, type Address, type Hex } from 'viem';
import { ENTRYPOINT_V07_ADDRESS, parseQuantity, toRpcUserOperation, type UserOperationV07 } from './userop.ts';

export type BundlerErrorCode = 'BUNDLER_REJECTED' | 'BUNDLER_UNREACHABLE' | 'BUNDLER_BAD_RESPONSE' | 'RECEIPT_TIMEOUT';

export class BundlerError extends Error {
  override readonly name = 'BundlerError';
  constructor(
    readonly code: BundlerErrorCode,
    message: string,
    readonly details: {
      /** JSON-RPC method that failed. */
      method?: string;
      /** JSON-RPC error code from the bundler. */
      rpcCode?: number;
      /** JSON-RPC error data from the bundler. */
      data?: unknown;
      /** ERC-4337 EntryPoint error code, e.g. 'AA24'. */
      aaCode?: string;
      /** HTTP status, for HTTP-level failures. */
      status?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }
  get aaCode(): string | undefined {
    return this.details.aaCode;
  }
  get rpcCode(): number | undefined {
    return this.details.rpcCode;
  }
  get method(): string | undefined {
    return this.details.method;
  }
}

/** First ERC-4337 'AAxx' code in a bundler message or error data. */
export function parseAaCode(...sources: unknown[]): string | undefined {
  for (const s of sources) {
    if (s === undefined || s === null) continue;
    let text: string;
    if (typeof s === 'string') text = s;
    else {
      try {
        text = JSON.stringify(s);
      } catch {
        continue;
      }
    }
    const m = /\b(AA[1-9][0-9])\b/.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

export interface BundlerClientOptions {
  /** Bundler JSON-RPC URL, e.g. http://127.0.0.1:4337 */
  url: string;
  /** EntryPoint the userOps are for (default: the canonical v0.7 address). */
  entryPoint?: Address;
  /** Per-request timeout in ms (default 30 000). */
  requestTimeoutMs?: number;
  /** fetch implementation (default: global fetch). */
  fetch?: typeof fetch;
}

export interface UserOperationGasEstimate {
  preVerificationGas: bigint;
  verificationGasLimit: bigint;
  callGasLimit: bigint;
  paymasterVerificationGasLimit?: bigint;
  paymasterPostOpGasLimit?: bigint;
}

export interface UserOperationGasPrice {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** A userOp to estimate: gas limits may be left out (sent as 0). */
export type UserOperationToEstimate = Omit<UserOperationV07, 'callGasLimit' | 'verificationGasLimit' | 'preVerificationGas'> &
  Partial<Pick<UserOperationV07, 'callGasLimit' | 'verificationGasLimit' | 'preVerificationGas'>>;

export interface WaitForReceiptOptions {
  /** Give up after this many ms (default 60 000). */
  timeoutMs?: number;
  /** Delay between polls in ms (default 100). */
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

export interface BundlerClient {
  readonly url: string;
  readonly entryPoint: Address;
  /** Raw JSON-RPC call; throws BundlerError. */
  request<T = unknown>(method: string, params: unknown[], options?: { timeoutMs?: number }): Promise<T>;
  estimateUserOperationGas(userOp: UserOperationToEstimate, stateOverride?: Record<string, unknown>): Promise<UserOperationGasEstimate>;
  /** Returns the userOp hash the bundler computed. */
  sendUserOperation(userOp: UserOperationV07): Promise<Hex>;
  /** null while the userOp is not included. */
  getUserOperationReceipt(hash: Hex, timeoutMs?: number): Promise<UserOperationReceipt | null>;
  waitForUserOperationReceipt(hash: Hex, options?: WaitForReceiptOptions): Promise<UserOperationReceipt>;
  /** pimlico_getUserOperationGasPrice, 'fast' tier. */
  getUserOperationGasPrice(): Promise<UserOperationGasPrice>;
  supportedEntryPoints(): Promise<Address[]>;
}

function badResponse(method: string, message: string, data?: unknown): BundlerError {
  return new BundlerError('BUNDLER_BAD_RESPONSE', `bundler ${method}: ${message}`, { method, data });
}

function quantityField(method: string, obj: Record<string, unknown>, field: string, optional: boolean): bigint | undefined {
  const v = obj[field];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw badResponse(method, `response has no ${field}`, obj);
  }
  const n = parseQuantity(v, (1n << 256n) - 1n);
  if (n === undefined) throw badResponse(method, `response ${field} is not a quantity`, obj);
  return n;
}

function transportReason(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string } };
  if (err?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return err?.cause?.code ?? err?.message ?? String(e);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createBundlerClient(options: BundlerClientOptions): BundlerClient {
  const url = options.url;
  const entryPoint = options.entryPoint ?? ENTRYPOINT_V07_ADDRESS;
  if (!isAddress(entryPoint, { strict: false })) throw new TypeError('entryPoint must be an address');
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const doFetch = options.fetch ?? fetch;
  let nextId = 1;

  async function request<T = unknown>(method: string, params: unknown[], { timeoutMs = requestTimeoutMs }: { timeoutMs?: number } = {}): Promise<T> {
    const id = nextId++;
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new BundlerError('BUNDLER_UNREACHABLE', `bundler ${url} unreachable (${method}): ${transportReason(e, timeoutMs)}`, { method, cause: e });
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new BundlerError('BUNDLER_UNREACHABLE', `bundler ${url} dropped the response (${method}): ${transportReason(e, timeoutMs)}`, { method, cause: e });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (!res.ok) throw new BundlerError('BUNDLER_UNREACHABLE', `bundler ${url} answered HTTP ${res.status} (${method})`, { method, status: res.status });
      throw badResponse(method, 'response is not JSON', text.slice(0, 200));
    }
    if (!isObject(body)) throw badResponse(method, 'response is not a JSON-RPC object', body);
    if (isObject(body.error)) {
      const rpcCode = typeof body.error.code === 'number' ? body.error.code : undefined;
      const message = typeof body.error.message === 'string' ? body.error.message : 'unknown error';
      const data = body.error.data;
      const aaCode = parseAaCode(message, data);
      throw new BundlerError('BUNDLER_REJECTED', `bundler rejected ${method}: ${message}`, { method, rpcCode, data, aaCode });
    }
    if (!res.ok) throw new BundlerError('BUNDLER_UNREACHABLE', `bundler ${url} answered HTTP ${res.status} (${method})`, { method, status: res.status });
    if (!('result' in body)) throw badResponse(method, 'response has neither result nor error', body);
    return body.result as T;
  }

  async function estimateUserOperationGas(userOp: UserOperationToEstimate, stateOverride?: Record<string, unknown>): Promise<UserOperationGasEstimate> {
    const method = 'eth_estimateUserOperationGas';
    const op: UserOperationV07 = {
      ...userOp,
      callGasLimit: userOp.callGasLimit ?? 0n,
      verificationGasLimit: userOp.verificationGasLimit ?? 0n,
      preVerificationGas: userOp.preVerificationGas ?? 0n,
    };
    const params: unknown[] = [toRpcUserOperation(op), entryPoint];
    if (stateOverride) params.push(stateOverride);
    const r = await request(method, params);
    if (!isObject(r)) throw badResponse(method, 'result is not an object', r);
    const est: UserOperationGasEstimate = {
      preVerificationGas: quantityField(method, r, 'preVerificationGas', false)!,
      verificationGasLimit: quantityField(method, r, 'verificationGasLimit', false)!,
      callGasLimit: quantityField(method, r, 'callGasLimit', false)!,
    };
    const pv = quantityField(method, r, 'paymasterVerificationGasLimit', true);
    const pp = quantityField(method, r, 'paymasterPostOpGasLimit', true);
    if (pv !== undefined) est.paymasterVerificationGasLimit = pv;
    if (pp !== undefined) est.paymasterPostOpGasLimit = pp;
    return est;
  }

  async function sendUserOperation(userOp: UserOperationV07): Promise<Hex> {
    const method = 'eth_sendUserOperation';
    const r = await request(method, [toRpcUserOperation(userOp), entryPoint]);
    if (typeof r !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(r)) throw badResponse(method, 'result is not a 32-byte hash', r);
    return r.toLowerCase() as Hex;
  }

  async function getUserOperationReceipt(hash: Hex, timeoutMs = requestTimeoutMs): Promise<UserOperationReceipt | null> {
    const method = 'eth_getUserOperationReceipt';
    const r = await request(method, [hash], { timeoutMs });
    if (r === null || r === undefined) return null;
    if (!isObject(r) || typeof r.success !== 'boolean' || !isObject(r.receipt)) throw badResponse(method, 'result is not a userOp receipt', r);
    try {
      return formatUserOperationReceipt(r as never);
    } catch (e) {
      throw badResponse(method, `receipt cannot be formatted: ${(e as Error).message}`, r);
    }
  }

  async function waitForUserOperationReceipt(hash: Hex, opts: WaitForReceiptOptions = {}): Promise<UserOperationReceipt> {
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const pollIntervalMs = opts.pollIntervalMs ?? 100;
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      opts.signal?.throwIfAborted();
      try {
        // A poll may overrun the deadline by at most 250 ms rather than time out on its own.
        const receipt = await getUserOperationReceipt(hash, Math.min(requestTimeoutMs, Math.max(250, deadline - Date.now())));
        if (receipt) return receipt;
        lastError = undefined;
      } catch (e) {
        // A rejection is final; an unreachable or confused bundler may recover before the deadline.
        if (e instanceof BundlerError && e.code === 'BUNDLER_REJECTED') throw e;
        lastError = e;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const suffix = lastError ? `; last error: ${(lastError as Error).message}` : '';
        throw new BundlerError('RECEIPT_TIMEOUT', `no receipt for userOp ${hash} after ${timeoutMs} ms${suffix}`, {
          method: 'eth_getUserOperationReceipt',
          cause: lastError,
        });
      }
      await sleep(Math.min(pollIntervalMs, left), opts.signal);
    }
  }

  async function getUserOperationGasPrice(): Promise<UserOperationGasPrice> {
    const method = 'pimlico_getUserOperationGasPrice';
    const r = await request(method, []);
    if (!isObject(r) || !isObject(r.fast)) throw badResponse(method, 'result has no fast tier', r);
    return {
      maxFeePerGas: quantityField(method, r.fast, 'maxFeePerGas', false)!,
      maxPriorityFeePerGas: quantityField(method, r.fast, 'maxPriorityFeePerGas', false)!,
    };
  }

  async function supportedEntryPoints(): Promise<Address[]> {
    const method = 'eth_supportedEntryPoints';
    const r = await request(method, []);
    if (!Array.isArray(r) || !r.every((a) => typeof a === 'string' && isAddress(a, { strict: false }))) {
      throw badResponse(method, 'result is not an address list', r);
    }
    return r as Address[];
  }

  return {
    url,
    entryPoint,
    request,
    estimateUserOperationGas,
    sendUserOperation,
    getUserOperationReceipt,
    waitForUserOperationReceipt,
    getUserOperationGasPrice,
    supportedEntryPoints,
  };
}
