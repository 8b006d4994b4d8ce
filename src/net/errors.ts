// Errors of the peer-to-peer layer: NetError for what the network itself failed to do, RemoteError
// for an error a peer answered a call with (its code, message and data as the peer sent them).
import { DanError, type WireError } from '../errors/index.ts';

export type NetErrorCode =
  | 'PEER_UNAVAILABLE' // no connection to the peer could be made
  | 'NOT_ALLOWED' // the peer is not in the operator allow-list
  | 'TIMEOUT' // no reply in time
  | 'BAD_FRAME' // a frame did not decode or broke the protocol
  | 'CLOSED'; // the network was stopped

export class NetError extends DanError<NetErrorCode> {
  override name = 'NetError';
  constructor(code: NetErrorCode, message: string, context: { peer?: string; method?: string } = {}) {
    super(code, message, context);
  }
  get peer(): string | undefined {
    return this.context.peer as string | undefined;
  }
}

/** A peer's answer to a call was an error: its code, message and data as sent, and who said so (`from`). */
export class RemoteError extends DanError<string> {
  override name = 'RemoteError';
  constructor(
    readonly from: string,
    readonly method: string,
    wire: WireError,
  ) {
    super(wire.code || 'INTERNAL', wire.message || wire.code, { ...(wire.data ?? {}) });
  }
}
