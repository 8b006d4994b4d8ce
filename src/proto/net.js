/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["net"] || ($protobuf.roots["net"] = {});

export const dan = $root.dan = (() => {

    /**
     * Namespace dan.
     * @exports dan
     * @namespace
     */
    const dan = {};

    dan.net = (function() {

        /**
         * Namespace net.
         * @memberof dan
         * @namespace
         */
        const net = {};

        net.Frame = (function() {

            /**
             * Properties of a Frame.
             * @typedef {Object} dan.net.Frame.$Properties
             * @property {dan.net.Call.$Properties|null} [call] Frame call
             * @property {dan.net.Reply.$Properties|null} [reply] Frame reply
             * @property {dan.net.SessionMessage.$Properties|null} [session] Frame session
             * @property {dan.net.SessionAbort.$Properties|null} [abort] Frame abort
             * @property {"call"|"reply"|"session"|"abort"} [kind] Frame kind
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Frame.
             * @memberof dan.net
             * @interface IFrame
             * @augments dan.net.Frame.$Properties
             * @deprecated Use dan.net.Frame.$Properties instead.
             */

            /**
             * Narrowed shape of a Frame.
             * @typedef {{
             *   call?: dan.net.Call.$Shape|null;
             *   reply?: dan.net.Reply.$Shape|null;
             *   session?: dan.net.SessionMessage.$Shape|null;
             *   abort?: dan.net.SessionAbort.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ kind?: undefined; call?: null; reply?: null; session?: null; abort?: null }|{ kind?: "call"; call: dan.net.Call.$Shape; reply?: null; session?: null; abort?: null }|{ kind?: "reply"; call?: null; reply: dan.net.Reply.$Shape; session?: null; abort?: null }|{ kind?: "session"; call?: null; reply?: null; session: dan.net.SessionMessage.$Shape; abort?: null }|{ kind?: "abort"; call?: null; reply?: null; session?: null; abort: dan.net.SessionAbort.$Shape })
             * )} dan.net.Frame.$Shape
             */

            /**
             * Constructs a new Frame.
             * @memberof dan.net
             * @classdesc Represents a Frame.
             * @constructor
             * @param {dan.net.Frame.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Frame = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Frame call.
             * @member {dan.net.Call.$Properties|null|undefined} call
             * @memberof dan.net.Frame
             * @instance
             */
            Frame.prototype.call = null;

            /**
             * Frame reply.
             * @member {dan.net.Reply.$Properties|null|undefined} reply
             * @memberof dan.net.Frame
             * @instance
             */
            Frame.prototype.reply = null;

            /**
             * Frame session.
             * @member {dan.net.SessionMessage.$Properties|null|undefined} session
             * @memberof dan.net.Frame
             * @instance
             */
            Frame.prototype.session = null;

            /**
             * Frame abort.
             * @member {dan.net.SessionAbort.$Properties|null|undefined} abort
             * @memberof dan.net.Frame
             * @instance
             */
            Frame.prototype.abort = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * Frame kind.
             * @member {"call"|"reply"|"session"|"abort"|undefined} kind
             * @memberof dan.net.Frame
             * @instance
             */
            $Object.defineProperty(Frame.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["call", "reply", "session", "abort"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Frame instance using the specified properties.
             * @function create
             * @memberof dan.net.Frame
             * @static
             * @param {dan.net.Frame.$Properties=} [properties] Properties to set
             * @returns {dan.net.Frame} Frame instance
             * @type {{
             *   (properties: dan.net.Frame.$Shape): dan.net.Frame & dan.net.Frame.$Shape;
             *   (properties?: dan.net.Frame.$Properties): dan.net.Frame;
             * }}
             */
            Frame.create = function(properties) {
                return new Frame(properties);
            };

            /**
             * Encodes the specified Frame message. Does not implicitly {@link dan.net.Frame.verify|verify} messages.
             * @function encode
             * @memberof dan.net.Frame
             * @static
             * @param {dan.net.Frame.$Properties} m Frame message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Frame.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.call != null && $Object.hasOwnProperty.call(m, "call"))
                    $root.dan.net.Call.encode(m.call, w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                if (m.reply != null && $Object.hasOwnProperty.call(m, "reply"))
                    $root.dan.net.Reply.encode(m.reply, w.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                if (m.session != null && $Object.hasOwnProperty.call(m, "session"))
                    $root.dan.net.SessionMessage.encode(m.session, w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                if (m.abort != null && $Object.hasOwnProperty.call(m, "abort"))
                    $root.dan.net.SessionAbort.encode(m.abort, w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Frame message from the specified reader or buffer.
             * @function decode
             * @memberof dan.net.Frame
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.net.Frame & dan.net.Frame.$Shape} Frame
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Frame.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.dan.net.Frame();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            m.call = $root.dan.net.Call.decode(r, r.size(), $undefined, q + 1, m.call);
                            m.kind = "call";
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            m.reply = $root.dan.net.Reply.decode(r, r.size(), $undefined, q + 1, m.reply);
                            m.kind = "reply";
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            m.session = $root.dan.net.SessionMessage.decode(r, r.size(), $undefined, q + 1, m.session);
                            m.kind = "session";
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            m.abort = $root.dan.net.SessionAbort.decode(r, r.size(), $undefined, q + 1, m.abort);
                            m.kind = "abort";
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return Frame;
        })();

        net.Call = (function() {

            /**
             * Properties of a Call.
             * @typedef {Object} dan.net.Call.$Properties
             * @property {number|null} [id] Call id
             * @property {string|null} [method] Call method
             * @property {Uint8Array|null} [body] Call body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Call.
             * @memberof dan.net
             * @interface ICall
             * @augments dan.net.Call.$Properties
             * @deprecated Use dan.net.Call.$Properties instead.
             */

            /**
             * Shape of a Call.
             * @typedef {dan.net.Call.$Properties} dan.net.Call.$Shape
             */

            /**
             * Constructs a new Call.
             * @memberof dan.net
             * @classdesc Represents a Call.
             * @constructor
             * @param {dan.net.Call.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Call = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Call id.
             * @member {number} id
             * @memberof dan.net.Call
             * @instance
             */
            Call.prototype.id = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Call method.
             * @member {string} method
             * @memberof dan.net.Call
             * @instance
             */
            Call.prototype.method = "";

            /**
             * Call body.
             * @member {Uint8Array} body
             * @memberof dan.net.Call
             * @instance
             */
            Call.prototype.body = $util.newBuffer([]);

            /**
             * Creates a new Call instance using the specified properties.
             * @function create
             * @memberof dan.net.Call
             * @static
             * @param {dan.net.Call.$Properties=} [properties] Properties to set
             * @returns {dan.net.Call} Call instance
             * @type {{
             *   (properties: dan.net.Call.$Shape): dan.net.Call & dan.net.Call.$Shape;
             *   (properties?: dan.net.Call.$Properties): dan.net.Call;
             * }}
             */
            Call.create = function(properties) {
                return new Call(properties);
            };

            /**
             * Encodes the specified Call message. Does not implicitly {@link dan.net.Call.verify|verify} messages.
             * @function encode
             * @memberof dan.net.Call
             * @static
             * @param {dan.net.Call.$Properties} m Call message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Call.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.id != null && $Object.hasOwnProperty.call(m, "id") && (typeof m.id === "object" ? m.id.low || m.id.high : m.id !== 0))
                    w.uint32(/* id 1, wireType 0 =*/8).uint64(m.id);
                if (m.method != null && $Object.hasOwnProperty.call(m, "method") && m.method !== "")
                    w.uint32(/* id 2, wireType 2 =*/18).string(m.method);
                if (m.body != null && $Object.hasOwnProperty.call(m, "body") && m.body.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.body);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Call message from the specified reader or buffer.
             * @function decode
             * @memberof dan.net.Call
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.net.Call & dan.net.Call.$Shape} Call
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Call.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.dan.net.Call();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.id = v;
                            else
                                delete m.id;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.method = v;
                            else
                                delete m.method;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.body = v;
                            else
                                delete m.body;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return Call;
        })();

        net.Reply = (function() {

            /**
             * Properties of a Reply.
             * @typedef {Object} dan.net.Reply.$Properties
             * @property {number|null} [id] Reply id
             * @property {Uint8Array|null} [body] Reply body
             * @property {string|null} [errorCode] Reply errorCode
             * @property {string|null} [errorMessage] Reply errorMessage
             * @property {Uint8Array|null} [errorData] Reply errorData
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Reply.
             * @memberof dan.net
             * @interface IReply
             * @augments dan.net.Reply.$Properties
             * @deprecated Use dan.net.Reply.$Properties instead.
             */

            /**
             * Shape of a Reply.
             * @typedef {dan.net.Reply.$Properties} dan.net.Reply.$Shape
             */

            /**
             * Constructs a new Reply.
             * @memberof dan.net
             * @classdesc Represents a Reply.
             * @constructor
             * @param {dan.net.Reply.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Reply = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Reply id.
             * @member {number} id
             * @memberof dan.net.Reply
             * @instance
             */
            Reply.prototype.id = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Reply body.
             * @member {Uint8Array} body
             * @memberof dan.net.Reply
             * @instance
             */
            Reply.prototype.body = $util.newBuffer([]);

            /**
             * Reply errorCode.
             * @member {string} errorCode
             * @memberof dan.net.Reply
             * @instance
             */
            Reply.prototype.errorCode = "";

            /**
             * Reply errorMessage.
             * @member {string} errorMessage
             * @memberof dan.net.Reply
             * @instance
             */
            Reply.prototype.errorMessage = "";

            /**
             * Reply errorData.
             * @member {Uint8Array} errorData
             * @memberof dan.net.Reply
             * @instance
             */
            Reply.prototype.errorData = $util.newBuffer([]);

            /**
             * Creates a new Reply instance using the specified properties.
             * @function create
             * @memberof dan.net.Reply
             * @static
             * @param {dan.net.Reply.$Properties=} [properties] Properties to set
             * @returns {dan.net.Reply} Reply instance
             * @type {{
             *   (properties: dan.net.Reply.$Shape): dan.net.Reply & dan.net.Reply.$Shape;
             *   (properties?: dan.net.Reply.$Properties): dan.net.Reply;
             * }}
             */
            Reply.create = function(properties) {
                return new Reply(properties);
            };

            /**
             * Encodes the specified Reply message. Does not implicitly {@link dan.net.Reply.verify|verify} messages.
             * @function encode
             * @memberof dan.net.Reply
             * @static
             * @param {dan.net.Reply.$Properties} m Reply message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Reply.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.id != null && $Object.hasOwnProperty.call(m, "id") && (typeof m.id === "object" ? m.id.low || m.id.high : m.id !== 0))
                    w.uint32(/* id 1, wireType 0 =*/8).uint64(m.id);
                if (m.body != null && $Object.hasOwnProperty.call(m, "body") && m.body.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.body);
                if (m.errorCode != null && $Object.hasOwnProperty.call(m, "errorCode") && m.errorCode !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.errorCode);
                if (m.errorMessage != null && $Object.hasOwnProperty.call(m, "errorMessage") && m.errorMessage !== "")
                    w.uint32(/* id 4, wireType 2 =*/34).string(m.errorMessage);
                if (m.errorData != null && $Object.hasOwnProperty.call(m, "errorData") && m.errorData.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.errorData);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Reply message from the specified reader or buffer.
             * @function decode
             * @memberof dan.net.Reply
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.net.Reply & dan.net.Reply.$Shape} Reply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Reply.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.dan.net.Reply();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 0)
                                break;
                            if (typeof (v = r.uint64()) === "object" ? v.low || v.high : v !== 0)
                                m.id = v;
                            else
                                delete m.id;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.body = v;
                            else
                                delete m.body;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.errorCode = v;
                            else
                                delete m.errorCode;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.errorMessage = v;
                            else
                                delete m.errorMessage;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.errorData = v;
                            else
                                delete m.errorData;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return Reply;
        })();

        net.SessionMessage = (function() {

            /**
             * Properties of a SessionMessage.
             * @typedef {Object} dan.net.SessionMessage.$Properties
             * @property {Uint8Array|null} [session] SessionMessage session
             * @property {number|null} [fromParty] SessionMessage fromParty
             * @property {Uint8Array|null} [payload] SessionMessage payload
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SessionMessage.
             * @memberof dan.net
             * @interface ISessionMessage
             * @augments dan.net.SessionMessage.$Properties
             * @deprecated Use dan.net.SessionMessage.$Properties instead.
             */

            /**
             * Shape of a SessionMessage.
             * @typedef {dan.net.SessionMessage.$Properties} dan.net.SessionMessage.$Shape
             */

            /**
             * Constructs a new SessionMessage.
             * @memberof dan.net
             * @classdesc Represents a SessionMessage.
             * @constructor
             * @param {dan.net.SessionMessage.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SessionMessage = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * SessionMessage session.
             * @member {Uint8Array} session
             * @memberof dan.net.SessionMessage
             * @instance
             */
            SessionMessage.prototype.session = $util.newBuffer([]);

            /**
             * SessionMessage fromParty.
             * @member {number} fromParty
             * @memberof dan.net.SessionMessage
             * @instance
             */
            SessionMessage.prototype.fromParty = 0;

            /**
             * SessionMessage payload.
             * @member {Uint8Array} payload
             * @memberof dan.net.SessionMessage
             * @instance
             */
            SessionMessage.prototype.payload = $util.newBuffer([]);

            /**
             * Creates a new SessionMessage instance using the specified properties.
             * @function create
             * @memberof dan.net.SessionMessage
             * @static
             * @param {dan.net.SessionMessage.$Properties=} [properties] Properties to set
             * @returns {dan.net.SessionMessage} SessionMessage instance
             * @type {{
             *   (properties: dan.net.SessionMessage.$Shape): dan.net.SessionMessage & dan.net.SessionMessage.$Shape;
             *   (properties?: dan.net.SessionMessage.$Properties): dan.net.SessionMessage;
             * }}
             */
            SessionMessage.create = function(properties) {
                return new SessionMessage(properties);
            };

            /**
             * Encodes the specified SessionMessage message. Does not implicitly {@link dan.net.SessionMessage.verify|verify} messages.
             * @function encode
             * @memberof dan.net.SessionMessage
             * @static
             * @param {dan.net.SessionMessage.$Properties} m SessionMessage message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SessionMessage.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.session != null && $Object.hasOwnProperty.call(m, "session") && m.session.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.session);
                if (m.fromParty != null && $Object.hasOwnProperty.call(m, "fromParty") && m.fromParty !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).uint32(m.fromParty);
                if (m.payload != null && $Object.hasOwnProperty.call(m, "payload") && m.payload.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.payload);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a SessionMessage message from the specified reader or buffer.
             * @function decode
             * @memberof dan.net.SessionMessage
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.net.SessionMessage & dan.net.SessionMessage.$Shape} SessionMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SessionMessage.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.dan.net.SessionMessage();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.session = v;
                            else
                                delete m.session;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.fromParty = v;
                            else
                                delete m.fromParty;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.payload = v;
                            else
                                delete m.payload;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return SessionMessage;
        })();

        net.SessionAbort = (function() {

            /**
             * Properties of a SessionAbort.
             * @typedef {Object} dan.net.SessionAbort.$Properties
             * @property {Uint8Array|null} [session] SessionAbort session
             * @property {number|null} [fromParty] SessionAbort fromParty
             * @property {string|null} [code] SessionAbort code
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SessionAbort.
             * @memberof dan.net
             * @interface ISessionAbort
             * @augments dan.net.SessionAbort.$Properties
             * @deprecated Use dan.net.SessionAbort.$Properties instead.
             */

            /**
             * Shape of a SessionAbort.
             * @typedef {dan.net.SessionAbort.$Properties} dan.net.SessionAbort.$Shape
             */

            /**
             * Constructs a new SessionAbort.
             * @memberof dan.net
             * @classdesc Represents a SessionAbort.
             * @constructor
             * @param {dan.net.SessionAbort.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SessionAbort = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * SessionAbort session.
             * @member {Uint8Array} session
             * @memberof dan.net.SessionAbort
             * @instance
             */
            SessionAbort.prototype.session = $util.newBuffer([]);

            /**
             * SessionAbort fromParty.
             * @member {number} fromParty
             * @memberof dan.net.SessionAbort
             * @instance
             */
            SessionAbort.prototype.fromParty = 0;

            /**
             * SessionAbort code.
             * @member {string} code
             * @memberof dan.net.SessionAbort
             * @instance
             */
            SessionAbort.prototype.code = "";

            /**
             * Creates a new SessionAbort instance using the specified properties.
             * @function create
             * @memberof dan.net.SessionAbort
             * @static
             * @param {dan.net.SessionAbort.$Properties=} [properties] Properties to set
             * @returns {dan.net.SessionAbort} SessionAbort instance
             * @type {{
             *   (properties: dan.net.SessionAbort.$Shape): dan.net.SessionAbort & dan.net.SessionAbort.$Shape;
             *   (properties?: dan.net.SessionAbort.$Properties): dan.net.SessionAbort;
             * }}
             */
            SessionAbort.create = function(properties) {
                return new SessionAbort(properties);
            };

            /**
             * Encodes the specified SessionAbort message. Does not implicitly {@link dan.net.SessionAbort.verify|verify} messages.
             * @function encode
             * @memberof dan.net.SessionAbort
             * @static
             * @param {dan.net.SessionAbort.$Properties} m SessionAbort message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SessionAbort.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.session != null && $Object.hasOwnProperty.call(m, "session") && m.session.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.session);
                if (m.fromParty != null && $Object.hasOwnProperty.call(m, "fromParty") && m.fromParty !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).uint32(m.fromParty);
                if (m.code != null && $Object.hasOwnProperty.call(m, "code") && m.code !== "")
                    w.uint32(/* id 3, wireType 2 =*/26).string(m.code);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a SessionAbort message from the specified reader or buffer.
             * @function decode
             * @memberof dan.net.SessionAbort
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.net.SessionAbort & dan.net.SessionAbort.$Shape} SessionAbort
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SessionAbort.decode = function (r, l, z, q, g) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (q === $undefined)
                    q = 0;
                if (q > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var c, m, v;
                if (l === $undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw $RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = g || new $root.dan.net.SessionAbort();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 1: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.session = v;
                            else
                                delete m.session;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.fromParty = v;
                            else
                                delete m.fromParty;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.stringVerify()).length)
                                m.code = v;
                            else
                                delete m.code;
                            continue;
                        }
                    }
                    r.skipType(u, q, t);
                    if (!r.discardUnknown) {
                        $util.makeProp(m, "$unknowns", false);
                        (m.$unknowns || (m.$unknowns = [])).push(r.raw(s, r.pos));
                    }
                }
                if (l !== $undefined) {
                    if (r.pos !== c)
                        throw $RangeError("index out of range");
                    r.len = l;
                }
                if (z !== $undefined)
                    throw $Error("missing end group");
                return m;
            };

            return SessionAbort;
        })();

        return net;
    })();

    return dan;
})();

export {
  $root as default
};
