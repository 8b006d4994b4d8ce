// The client's JSON-RPC 2.0 transport: one POST per call, Content-Type application/json, to the
// coordinator URL. Maps the outcome to a typed result, an RpcError (the server's code, message and
// data) or a DanClientError (HTTP, network, malformed response); BUSY refusals are tried again
// within the call's time budget, a call on a connection the server had closed once more. Assumes a fetch compatible with
// the WHATWG one (Node 20's global fetch by default); params are already signed.
import type { LocalAccount } from 'viem';
import { RpcError, RpcErrorCode, type RpcErrorData } from '../rpc/errors.ts';
import type { DanMethod, DanParams, DanResult } from '../rpc/schema.ts';
import { DanClientError, redactUrl } from './errors.ts';

/** Everything an action needs; built once by createDanClient. */
export interface DanClientContext {
  /** The coordinator URL without user info (credentials, if any, are in `headers`). */
  readonly url: string;
  /** Extra HTTP headers sent with every call (e.g. Authorization from URL credentials). */
  readonly headers: Readonly<Record<string, string>>;
  readonly account: LocalAccount;
  readonly fetch: typeof globalThis.fetch;
  /** Lifetime of each request's authentication, seconds. */
  readonly expirySec: number;
  /** Abort a call after this many milliseconds (NETWORK_ERROR). */
  readonly timeoutMs: number;
  /** The next JSON-RPC id. */
  nextId(): number;
  /** The network id requests are signed for: configured, or asked once of the coordinator (dan_network). */
  network(): Promise<string>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An RpcError when `json` is a JSON-RPC error response to request `id` (or to an unreadable one: id null). */
function rpcFailure(json: unknown, id: number): RpcError | undefined {
  if (!isObject(json) || json.jsonrpc !== '2.0' || !isObject(json.error)) return undefined;
  if (json.id !== id && json.id !== null) return undefined;
  const { code, message, data } = json.error;
  if (typeof code !== 'number' || !Number.isInteger(code) || typeof message !== 'string') return undefined;
  let normalized: RpcErrorData | undefined;
  if (isObject(data)) normalized = { ...data, reason: typeof data.reason === 'string' ? data.reason : 'unspecified' };
  else if (data !== undefined) normalized = { reason: 'unspecified', value: data };
  return new RpcError(code, message, normalized);
}

export function rpcCall<M extends DanMethod>(ctx: DanClientContext, method: M, params: DanParams<M>): Promise<DanResult<M>> {
  return jsonRpc(ctx, method, params) as Promise<DanResult<M>>;
}

/** The longest pause between two tries of a call the coordinator refused as BUSY. */
const MAX_BUSY_PAUSE_MS = 5_000;

/**
 * One JSON-RPC call of any method; resolves with its result. A BUSY refusal (-32009: the
 * coordinator's admission control) is tried again after its `retryAfterMs` with the same signed
 * params (the same requestId: the server runs a request at most once) while the call's time
 * budget (`timeoutMs` in all) allows; then the BUSY error is thrown.
 */
export async function jsonRpc(ctx: Omit<DanClientContext, 'network'>, method: string, params: unknown): Promise<unknown> {
  const deadline = Date.now() + ctx.timeoutMs;
  let busy: RpcError | undefined;
  let reconnected = false;
  for (;;) {
    try {
      return await jsonRpcOnce(ctx, method, params, deadline - Date.now());
    } catch (e) {
      // A kept-alive connection the server had closed (its idle time-out) fails without an answer
      // (UND_ERR_SOCKET, EPIPE, ECONNRESET): try once more on a new one (every method is safe to repeat: signed ones carry their requestId).
      if (!reconnected && e instanceof DanClientError && e.code === 'NETWORK_ERROR' && staleConnection(e)) {
        reconnected = true;
        continue;
      }
      // A retry that ran out of time ends with the coordinator's own answer: it was busy.
      if (busy && e instanceof DanClientError && e.code === 'NETWORK_ERROR' && Date.now() >= deadline - 50) throw busy;
      if (!(e instanceof RpcError) || e.code !== RpcErrorCode.BUSY) throw e;
      busy = e;
      const pause = Math.min(MAX_BUSY_PAUSE_MS, Math.max(10, Number(e.data?.retryAfterMs) || 100));
      // Try again only with time left for the answer (a quarter of the budget, at least 100 ms).
      if (Date.now() + pause + Math.max(100, ctx.timeoutMs / 4) >= deadline) throw e;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}

/** The connection was closed under the call (reset, or written to after the server closed it). */
function staleConnection(e: DanClientError): boolean {
  const cause = (e.cause as { cause?: { code?: string } } | undefined)?.cause;
  return ['UND_ERR_SOCKET', 'EPIPE', 'ECONNRESET'].includes(cause?.code ?? '');
}

async function jsonRpcOnce(ctx: Omit<DanClientContext, 'network'>, method: string, params: unknown, timeoutMs: number): Promise<unknown> {
  const url = redactUrl(ctx.url);
  const id = ctx.nextId();
  const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
  let response: Response;
  let text: string;
  try {
    response = await ctx.fetch(ctx.url, {
      method: 'POST',
      headers: { ...ctx.headers, 'content-type': 'application/json', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (e) {
    const timedOut = (e as { name?: string })?.name === 'TimeoutError';
    const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
    const raw = timedOut ? `timed out after ${ctx.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (e as Error)?.message ?? String(e));
    const why = raw.split(ctx.url).join(url); // never echo a query string that may hold a key
    throw new DanClientError('NETWORK_ERROR', `${method}: request to ${url} failed: ${why}`, { url, cause: e });
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // A JSON-RPC error body wins over the HTTP status: servers may send it with 4xx/5xx.
  const failure = rpcFailure(json, id);
  if (failure) throw failure;

  const status = response.status;
  const excerpt = text.slice(0, 200);
  if (!response.ok) {
    throw new DanClientError('HTTP_ERROR', `${method}: HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''} from ${url}`, { url, status, body: excerpt });
  }
  if (json === undefined) throw new DanClientError('BAD_RESPONSE', `${method}: response from ${url} is not JSON`, { url, status, body: excerpt });
  if (!isObject(json) || json.jsonrpc !== '2.0' || json.id !== id || !('result' in json) || 'error' in json) {
    throw new DanClientError('BAD_RESPONSE', `${method}: response from ${url} is not a JSON-RPC 2.0 result for request ${id}`, { url, status, body: excerpt });
  }
  return json.result;
}
