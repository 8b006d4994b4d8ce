// Errors of the dan-node client for failures below JSON-RPC: the coordinator could not be reached
// (NETWORK_ERROR, including time-outs), answered with an HTTP error and no JSON-RPC error body
// (HTTP_ERROR), or answered something that is not a JSON-RPC 2.0 response to our request
// (BAD_RESPONSE). JSON-RPC errors from the server are RpcError (src/rpc/errors.ts), not this.
// `url` is the coordinator URL without credentials, query or fragment (safe to log).

export type DanClientErrorCode = 'HTTP_ERROR' | 'NETWORK_ERROR' | 'BAD_RESPONSE';

export class DanClientError extends Error {
  override readonly name = 'DanClientError';
  readonly code: DanClientErrorCode;
  readonly url: string;
  /** HTTP status, when a response was received. */
  readonly status?: number;
  /** The first bytes of the response body, when one was received (for diagnosis). */
  readonly body?: string;

  constructor(code: DanClientErrorCode, message: string, details: { url: string; status?: number; body?: string; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.url = details.url;
    if (details.status !== undefined) this.status = details.status;
    if (details.body !== undefined) this.body = details.body;
  }
}

/** The URL as it may appear in errors and logs: no user info, query or fragment. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
