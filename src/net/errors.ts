// Errors of the peer-to-peer layer.
export type NetErrorCode =
  | 'PEER_UNAVAILABLE' // no connection to the peer could be made
  | 'NOT_ALLOWED' // the peer is not in the operator allow-list
  | 'TIMEOUT' // no reply in time
  | 'REMOTE_ERROR' // the peer answered a call with an error (see remoteCode)
  | 'BAD_FRAME' // a frame did not decode or broke the protocol
  | 'CLOSED'; // the network was stopped

export class NetError extends Error {
  override readonly name = 'NetError';
  constructor(
    readonly code: NetErrorCode,
    message: string,
    readonly context: { peer?: string; method?: string; remoteCode?: string } = {},
  ) {
    super(message);
  }
  get remoteCode(): string | undefined {
    return this.context.remoteCode;
  }
}
