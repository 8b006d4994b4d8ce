// Errors of the legacy wallet-provider endpoint. The legacy protocol has no error frame: the server
// closes the WebSocket, so each code maps to a close code (RFC 6455 section 7.4) and the reason
// text carries the code and a short explanation.
export type CompatErrorCode =
  | 'MALFORMED_FRAME' // a frame that is not what the protocol step expects
  | 'UNSUPPORTED' // a valid request this network does not serve (t or n, request type)
  | 'UNAUTHORIZED' // authentication failed or the signer may not use the key
  | 'EXPIRED' // the ephemeral key is past its expiry
  | 'UNKNOWN_KEY'
  | 'QUORUM_UNAVAILABLE'
  | 'TIMEOUT'
  | 'INTERNAL';

const CLOSE_CODES: Record<CompatErrorCode, number> = {
  MALFORMED_FRAME: 1007, // invalid frame payload data
  UNSUPPORTED: 1003, // unsupported data
  UNAUTHORIZED: 1008, // policy violation
  EXPIRED: 1008,
  UNKNOWN_KEY: 1008,
  QUORUM_UNAVAILABLE: 1013, // try again later
  TIMEOUT: 1008,
  INTERNAL: 1011, // internal error
};

export class CompatError extends Error {
  override readonly name = 'CompatError';
  constructor(
    readonly code: CompatErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get closeCode(): number {
    return CLOSE_CODES[this.code];
  }

  /** The close reason: at most 123 bytes of UTF-8 (the control-frame limit). */
  get closeReason(): string {
    const full = `${this.code}: ${this.message}`;
    if (Buffer.byteLength(full) <= 123) return full;
    let cut = full.slice(0, 120);
    while (Buffer.byteLength(cut) > 120) cut = cut.slice(0, -1);
    return `${cut}...`;
  }
}

export function compatFail(code: CompatErrorCode, message: string, context?: Record<string, unknown>): never {
  throw new CompatError(code, message, context);
}
