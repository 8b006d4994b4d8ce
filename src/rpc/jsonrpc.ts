// JSON-RPC 2.0 envelope: request/response types and helpers to parse a request and build responses.
// Used by the coordinator server (parse the POST body, answer) and the client (build requests,
// check responses). Batches are not part of the dan_* contract; a server may refuse them.
import { RpcError, RpcErrorCode, toRpcError, type RpcErrorObject } from './errors.ts';
import { isPlainObject } from './fields.ts';

export type JsonRpcId = string | number | null;

export interface JsonRpcRequest<P = unknown> {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params?: P;
}

export interface JsonRpcSuccess<R = unknown> {
  jsonrpc: '2.0';
  id: JsonRpcId;
  result: R;
}

export interface JsonRpcFailure {
  jsonrpc: '2.0';
  id: JsonRpcId;
  error: RpcErrorObject;
}

export type JsonRpcResponse<R = unknown> = JsonRpcSuccess<R> | JsonRpcFailure;

/**
 * Check one parsed request object. Throws RpcError INVALID_REQUEST (with `data.id` when the id
 * could be read, so the server can echo it). A request missing members names all of them; otherwise
 * the first problem in the order jsonrpc, method, id, params. Notifications (no id) are refused:
 * every dan_* call has a result. Batches are split by the server (parseBatch) before this.
 */
export function parseRequest(body: unknown): JsonRpcRequest & { id: string | number } {
  const bad = (message: string, id: JsonRpcId = null): never => {
    throw new RpcError(RpcErrorCode.INVALID_REQUEST, message, { reason: 'invalid_request', id });
  };
  if (!isPlainObject(body)) return bad('the request must be a JSON object {"jsonrpc":"2.0","id":...,"method":...,"params":{...}}');
  const { id } = body;
  const validId = (typeof id === 'string' && id.length <= 128) || (typeof id === 'number' && Number.isSafeInteger(id));
  const readableId = validId ? (id as string | number) : null;
  const missing = (['jsonrpc', 'method', 'id'] as const).filter((k) => body[k] === undefined);
  if (missing.length > 1) return bad(`missing ${missing.map((k) => `"${k}"`).join(', ')}: a request is {"jsonrpc":"2.0","id":...,"method":...,"params":{...}}`, readableId);
  if (body.jsonrpc === undefined) return bad('"jsonrpc" is missing: it must be "2.0"', readableId);
  if (body.jsonrpc !== '2.0') return bad('jsonrpc must be "2.0"', readableId);
  if (body.method === undefined) return bad('method is required', readableId);
  if (typeof body.method !== 'string' || body.method.length === 0 || body.method.length > 64) return bad('method must be a non-empty string (at most 64 characters)', readableId);
  if (id === undefined) return bad('id is required (notifications are not supported): a string (at most 128 characters) or an integer');
  if (!validId) return bad('id must be a string (at most 128 characters) or an integer');
  if (body.params !== undefined && !isPlainObject(body.params) && !Array.isArray(body.params)) return bad('params must be an object or an array', readableId);
  return { jsonrpc: '2.0', id: id as string | number, method: body.method, params: body.params };
}

/** The most requests one batch (a JSON array of requests, JSON-RPC 2.0 §6) may hold. */
export const MAX_BATCH = 32;

/**
 * A batch's requests, unchecked (each is answered on its own, errors included), or undefined for a
 * single request. Throws INVALID_REQUEST for an empty batch or one over MAX_BATCH.
 */
export function parseBatch(body: unknown): unknown[] | undefined {
  if (!Array.isArray(body)) return undefined;
  if (body.length === 0) throw new RpcError(RpcErrorCode.INVALID_REQUEST, 'empty batch: send at least one request', { reason: 'invalid_request', id: null });
  if (body.length > MAX_BATCH) throw new RpcError(RpcErrorCode.INVALID_REQUEST, `a batch holds at most ${MAX_BATCH} requests (got ${body.length})`, { reason: 'batch_too_large', id: null });
  return body;
}

export function successResponse<R>(id: JsonRpcId, result: R): JsonRpcSuccess<R> {
  return { jsonrpc: '2.0', id, result };
}

/** Any thrown value as a JSON-RPC failure (see toRpcError: unknown errors carry no details). */
export function errorResponse(id: JsonRpcId, error: unknown): JsonRpcFailure {
  return { jsonrpc: '2.0', id, error: toRpcError(error).toJSON() };
}
