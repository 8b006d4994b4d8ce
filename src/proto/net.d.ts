import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace dan {

    namespace net {

        interface IFrame extends dan.net.Frame.$Properties {
        }

        class Frame {
            constructor(p?: dan.net.Frame.$Properties);
            $unknowns?: Uint8Array[];
            call?: (dan.net.Call.$Properties|null);
            reply?: (dan.net.Reply.$Properties|null);
            session?: (dan.net.SessionMessage.$Properties|null);
            abort?: (dan.net.SessionAbort.$Properties|null);
            kind?: ("call"|"reply"|"session"|"abort");
            static create(properties: dan.net.Frame.$Shape): dan.net.Frame & dan.net.Frame.$Shape;
            static create(properties?: dan.net.Frame.$Properties): dan.net.Frame;
            static encode(m: dan.net.Frame.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.net.Frame & dan.net.Frame.$Shape;
        }

        namespace Frame {
            interface $Properties {
                call?: (dan.net.Call.$Properties|null);
                reply?: (dan.net.Reply.$Properties|null);
                session?: (dan.net.SessionMessage.$Properties|null);
                abort?: (dan.net.SessionAbort.$Properties|null);
                kind?: ("call"|"reply"|"session"|"abort");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              call?: dan.net.Call.$Shape|null;
              reply?: dan.net.Reply.$Shape|null;
              session?: dan.net.SessionMessage.$Shape|null;
              abort?: dan.net.SessionAbort.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ kind?: undefined; call?: null; reply?: null; session?: null; abort?: null }|{ kind?: "call"; call: dan.net.Call.$Shape; reply?: null; session?: null; abort?: null }|{ kind?: "reply"; call?: null; reply: dan.net.Reply.$Shape; session?: null; abort?: null }|{ kind?: "session"; call?: null; reply?: null; session: dan.net.SessionMessage.$Shape; abort?: null }|{ kind?: "abort"; call?: null; reply?: null; session?: null; abort: dan.net.SessionAbort.$Shape })
            );
        }

        interface ICall extends dan.net.Call.$Properties {
        }

        class Call {
            constructor(p?: dan.net.Call.$Properties);
            $unknowns?: Uint8Array[];
            id: number;
            method: string;
            body: Uint8Array;
            static create(properties: dan.net.Call.$Shape): dan.net.Call & dan.net.Call.$Shape;
            static create(properties?: dan.net.Call.$Properties): dan.net.Call;
            static encode(m: dan.net.Call.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.net.Call & dan.net.Call.$Shape;
        }

        namespace Call {
            interface $Properties {
                id?: (number|null);
                method?: (string|null);
                body?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.net.Call.$Properties;
        }

        interface IReply extends dan.net.Reply.$Properties {
        }

        class Reply {
            constructor(p?: dan.net.Reply.$Properties);
            $unknowns?: Uint8Array[];
            id: number;
            body: Uint8Array;
            errorCode: string;
            errorMessage: string;
            errorData: Uint8Array;
            static create(properties: dan.net.Reply.$Shape): dan.net.Reply & dan.net.Reply.$Shape;
            static create(properties?: dan.net.Reply.$Properties): dan.net.Reply;
            static encode(m: dan.net.Reply.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.net.Reply & dan.net.Reply.$Shape;
        }

        namespace Reply {
            interface $Properties {
                id?: (number|null);
                body?: (Uint8Array|null);
                errorCode?: (string|null);
                errorMessage?: (string|null);
                errorData?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.net.Reply.$Properties;
        }

        interface ISessionMessage extends dan.net.SessionMessage.$Properties {
        }

        class SessionMessage {
            constructor(p?: dan.net.SessionMessage.$Properties);
            $unknowns?: Uint8Array[];
            session: Uint8Array;
            fromParty: number;
            payload: Uint8Array;
            static create(properties: dan.net.SessionMessage.$Shape): dan.net.SessionMessage & dan.net.SessionMessage.$Shape;
            static create(properties?: dan.net.SessionMessage.$Properties): dan.net.SessionMessage;
            static encode(m: dan.net.SessionMessage.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.net.SessionMessage & dan.net.SessionMessage.$Shape;
        }

        namespace SessionMessage {
            interface $Properties {
                session?: (Uint8Array|null);
                fromParty?: (number|null);
                payload?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.net.SessionMessage.$Properties;
        }

        interface ISessionAbort extends dan.net.SessionAbort.$Properties {
        }

        class SessionAbort {
            constructor(p?: dan.net.SessionAbort.$Properties);
            $unknowns?: Uint8Array[];
            session: Uint8Array;
            fromParty: number;
            code: string;
            static create(properties: dan.net.SessionAbort.$Shape): dan.net.SessionAbort & dan.net.SessionAbort.$Shape;
            static create(properties?: dan.net.SessionAbort.$Properties): dan.net.SessionAbort;
            static encode(m: dan.net.SessionAbort.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.net.SessionAbort & dan.net.SessionAbort.$Shape;
        }

        namespace SessionAbort {
            interface $Properties {
                session?: (Uint8Array|null);
                fromParty?: (number|null);
                code?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.net.SessionAbort.$Properties;
        }
    }
}
