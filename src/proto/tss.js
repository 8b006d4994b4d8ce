/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["tss"] || ($protobuf.roots["tss"] = {});

export const dan = $root.dan = (() => {

    /**
     * Namespace dan.
     * @exports dan
     * @namespace
     */
    const dan = {};

    dan.tss = (function() {

        /**
         * Namespace tss.
         * @memberof dan
         * @namespace
         */
        const tss = {};

        /**
         * ProtocolKind enum.
         * @name dan.tss.ProtocolKind
         * @enum {number}
         * @property {number} PROTOCOL_UNSPECIFIED=0 PROTOCOL_UNSPECIFIED value
         * @property {number} DKG=1 DKG value
         * @property {number} REFRESH=2 REFRESH value
         * @property {number} PRESIGN=3 PRESIGN value
         * @property {number} SIGN=4 SIGN value
         * @property {number} RESHARE=5 RESHARE value
         */
        tss.ProtocolKind = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "PROTOCOL_UNSPECIFIED"] = 0;
            values[valuesById[1] = "DKG"] = 1;
            values[valuesById[2] = "REFRESH"] = 2;
            values[valuesById[3] = "PRESIGN"] = 3;
            values[valuesById[4] = "SIGN"] = 4;
            values[valuesById[5] = "RESHARE"] = 5;
            return values;
        })();

        tss.Header = (function() {

            /**
             * Properties of a Header.
             * @typedef {Object} dan.tss.Header.$Properties
             * @property {Uint8Array|null} [instance] Header instance
             * @property {dan.tss.ProtocolKind|null} [protocol] Header protocol
             * @property {number|null} [round] Header round
             * @property {number|null} [from] Header from
             * @property {number|null} [to] Header to
             * @property {boolean|null} [broadcast] Header broadcast
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Header.
             * @memberof dan.tss
             * @interface IHeader
             * @augments dan.tss.Header.$Properties
             * @deprecated Use dan.tss.Header.$Properties instead.
             */

            /**
             * Shape of a Header.
             * @typedef {dan.tss.Header.$Properties} dan.tss.Header.$Shape
             */

            /**
             * Constructs a new Header.
             * @memberof dan.tss
             * @classdesc Represents a Header.
             * @constructor
             * @param {dan.tss.Header.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Header = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Header instance.
             * @member {Uint8Array} instance
             * @memberof dan.tss.Header
             * @instance
             */
            Header.prototype.instance = $util.newBuffer([]);

            /**
             * Header protocol.
             * @member {dan.tss.ProtocolKind} protocol
             * @memberof dan.tss.Header
             * @instance
             */
            Header.prototype.protocol = 0;

            /**
             * Header round.
             * @member {number} round
             * @memberof dan.tss.Header
             * @instance
             */
            Header.prototype.round = 0;

            /**
             * Header from.
             * @member {number} from
             * @memberof dan.tss.Header
             * @instance
             */
            Header.prototype.from = 0;

            /**
             * Header to.
             * @member {number} to
             * @memberof dan.tss.Header
             * @instance
             */
            Header.prototype.to = 0;

            /**
             * Header broadcast.
             * @member {boolean} broadcast
             * @memberof dan.tss.Header
             * @instance
             */
            Header.prototype.broadcast = false;

            /**
             * Creates a new Header instance using the specified properties.
             * @function create
             * @memberof dan.tss.Header
             * @static
             * @param {dan.tss.Header.$Properties=} [properties] Properties to set
             * @returns {dan.tss.Header} Header instance
             * @type {{
             *   (properties: dan.tss.Header.$Shape): dan.tss.Header & dan.tss.Header.$Shape;
             *   (properties?: dan.tss.Header.$Properties): dan.tss.Header;
             * }}
             */
            Header.create = function(properties) {
                return new Header(properties);
            };

            /**
             * Encodes the specified Header message. Does not implicitly {@link dan.tss.Header.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.Header
             * @static
             * @param {dan.tss.Header.$Properties} m Header message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Header.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.instance != null && $Object.hasOwnProperty.call(m, "instance") && m.instance.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.instance);
                if (m.protocol != null && $Object.hasOwnProperty.call(m, "protocol") && m.protocol !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).int32(m.protocol);
                if (m.round != null && $Object.hasOwnProperty.call(m, "round") && m.round !== 0)
                    w.uint32(/* id 3, wireType 0 =*/24).uint32(m.round);
                if (m.from != null && $Object.hasOwnProperty.call(m, "from") && m.from !== 0)
                    w.uint32(/* id 4, wireType 0 =*/32).uint32(m.from);
                if (m.to != null && $Object.hasOwnProperty.call(m, "to") && m.to !== 0)
                    w.uint32(/* id 5, wireType 0 =*/40).uint32(m.to);
                if (m.broadcast != null && $Object.hasOwnProperty.call(m, "broadcast") && m.broadcast !== false)
                    w.uint32(/* id 6, wireType 0 =*/48).bool(m.broadcast);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a Header message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.Header
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.Header & dan.tss.Header.$Shape} Header
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Header.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.Header();
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
                                m.instance = v;
                            else
                                delete m.instance;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.int32())
                                m.protocol = v;
                            else
                                delete m.protocol;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.round = v;
                            else
                                delete m.round;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.from = v;
                            else
                                delete m.from;
                            continue;
                        }
                    case 5: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.to = v;
                            else
                                delete m.to;
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (v = r.bool())
                                m.broadcast = v;
                            else
                                delete m.broadcast;
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

            return Header;
        })();

        tss.Envelope = (function() {

            /**
             * Properties of an Envelope.
             * @typedef {Object} dan.tss.Envelope.$Properties
             * @property {dan.tss.Header.$Properties|null} [header] Envelope header
             * @property {Uint8Array|null} [body] Envelope body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Envelope.
             * @memberof dan.tss
             * @interface IEnvelope
             * @augments dan.tss.Envelope.$Properties
             * @deprecated Use dan.tss.Envelope.$Properties instead.
             */

            /**
             * Shape of an Envelope.
             * @typedef {dan.tss.Envelope.$Properties} dan.tss.Envelope.$Shape
             */

            /**
             * Constructs a new Envelope.
             * @memberof dan.tss
             * @classdesc Represents an Envelope.
             * @constructor
             * @param {dan.tss.Envelope.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Envelope = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * Envelope header.
             * @member {dan.tss.Header.$Properties|null|undefined} header
             * @memberof dan.tss.Envelope
             * @instance
             */
            Envelope.prototype.header = null;

            /**
             * Envelope body.
             * @member {Uint8Array} body
             * @memberof dan.tss.Envelope
             * @instance
             */
            Envelope.prototype.body = $util.newBuffer([]);

            /**
             * Creates a new Envelope instance using the specified properties.
             * @function create
             * @memberof dan.tss.Envelope
             * @static
             * @param {dan.tss.Envelope.$Properties=} [properties] Properties to set
             * @returns {dan.tss.Envelope} Envelope instance
             * @type {{
             *   (properties: dan.tss.Envelope.$Shape): dan.tss.Envelope & dan.tss.Envelope.$Shape;
             *   (properties?: dan.tss.Envelope.$Properties): dan.tss.Envelope;
             * }}
             */
            Envelope.create = function(properties) {
                return new Envelope(properties);
            };

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link dan.tss.Envelope.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.Envelope
             * @static
             * @param {dan.tss.Envelope.$Properties} m Envelope message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Envelope.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.header != null && $Object.hasOwnProperty.call(m, "header"))
                    $root.dan.tss.Header.encode(m.header, w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                if (m.body != null && $Object.hasOwnProperty.call(m, "body") && m.body.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.body);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.Envelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.Envelope & dan.tss.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Envelope.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.Envelope();
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
                            m.header = $root.dan.tss.Header.decode(r, r.size(), $undefined, q + 1, m.header);
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

            return Envelope;
        })();

        tss.DlogProof = (function() {

            /**
             * Properties of a DlogProof.
             * @typedef {Object} dan.tss.DlogProof.$Properties
             * @property {Uint8Array|null} [t] DlogProof t
             * @property {Uint8Array|null} [s] DlogProof s
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DlogProof.
             * @memberof dan.tss
             * @interface IDlogProof
             * @augments dan.tss.DlogProof.$Properties
             * @deprecated Use dan.tss.DlogProof.$Properties instead.
             */

            /**
             * Shape of a DlogProof.
             * @typedef {dan.tss.DlogProof.$Properties} dan.tss.DlogProof.$Shape
             */

            /**
             * Constructs a new DlogProof.
             * @memberof dan.tss
             * @classdesc Represents a DlogProof.
             * @constructor
             * @param {dan.tss.DlogProof.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DlogProof = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * DlogProof t.
             * @member {Uint8Array} t
             * @memberof dan.tss.DlogProof
             * @instance
             */
            DlogProof.prototype.t = $util.newBuffer([]);

            /**
             * DlogProof s.
             * @member {Uint8Array} s
             * @memberof dan.tss.DlogProof
             * @instance
             */
            DlogProof.prototype.s = $util.newBuffer([]);

            /**
             * Creates a new DlogProof instance using the specified properties.
             * @function create
             * @memberof dan.tss.DlogProof
             * @static
             * @param {dan.tss.DlogProof.$Properties=} [properties] Properties to set
             * @returns {dan.tss.DlogProof} DlogProof instance
             * @type {{
             *   (properties: dan.tss.DlogProof.$Shape): dan.tss.DlogProof & dan.tss.DlogProof.$Shape;
             *   (properties?: dan.tss.DlogProof.$Properties): dan.tss.DlogProof;
             * }}
             */
            DlogProof.create = function(properties) {
                return new DlogProof(properties);
            };

            /**
             * Encodes the specified DlogProof message. Does not implicitly {@link dan.tss.DlogProof.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.DlogProof
             * @static
             * @param {dan.tss.DlogProof.$Properties} m DlogProof message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DlogProof.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.t != null && $Object.hasOwnProperty.call(m, "t") && m.t.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.t);
                if (m.s != null && $Object.hasOwnProperty.call(m, "s") && m.s.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.s);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a DlogProof message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.DlogProof
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.DlogProof & dan.tss.DlogProof.$Shape} DlogProof
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DlogProof.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.DlogProof();
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
                                m.t = v;
                            else
                                delete m.t;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.s = v;
                            else
                                delete m.s;
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

            return DlogProof;
        })();

        tss.SignedBroadcast = (function() {

            /**
             * Properties of a SignedBroadcast.
             * @typedef {Object} dan.tss.SignedBroadcast.$Properties
             * @property {Uint8Array|null} [body] SignedBroadcast body
             * @property {Uint8Array|null} [signature] SignedBroadcast signature
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SignedBroadcast.
             * @memberof dan.tss
             * @interface ISignedBroadcast
             * @augments dan.tss.SignedBroadcast.$Properties
             * @deprecated Use dan.tss.SignedBroadcast.$Properties instead.
             */

            /**
             * Shape of a SignedBroadcast.
             * @typedef {dan.tss.SignedBroadcast.$Properties} dan.tss.SignedBroadcast.$Shape
             */

            /**
             * Constructs a new SignedBroadcast.
             * @memberof dan.tss
             * @classdesc Represents a SignedBroadcast.
             * @constructor
             * @param {dan.tss.SignedBroadcast.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SignedBroadcast = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * SignedBroadcast body.
             * @member {Uint8Array} body
             * @memberof dan.tss.SignedBroadcast
             * @instance
             */
            SignedBroadcast.prototype.body = $util.newBuffer([]);

            /**
             * SignedBroadcast signature.
             * @member {Uint8Array} signature
             * @memberof dan.tss.SignedBroadcast
             * @instance
             */
            SignedBroadcast.prototype.signature = $util.newBuffer([]);

            /**
             * Creates a new SignedBroadcast instance using the specified properties.
             * @function create
             * @memberof dan.tss.SignedBroadcast
             * @static
             * @param {dan.tss.SignedBroadcast.$Properties=} [properties] Properties to set
             * @returns {dan.tss.SignedBroadcast} SignedBroadcast instance
             * @type {{
             *   (properties: dan.tss.SignedBroadcast.$Shape): dan.tss.SignedBroadcast & dan.tss.SignedBroadcast.$Shape;
             *   (properties?: dan.tss.SignedBroadcast.$Properties): dan.tss.SignedBroadcast;
             * }}
             */
            SignedBroadcast.create = function(properties) {
                return new SignedBroadcast(properties);
            };

            /**
             * Encodes the specified SignedBroadcast message. Does not implicitly {@link dan.tss.SignedBroadcast.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.SignedBroadcast
             * @static
             * @param {dan.tss.SignedBroadcast.$Properties} m SignedBroadcast message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SignedBroadcast.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.body != null && $Object.hasOwnProperty.call(m, "body") && m.body.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.body);
                if (m.signature != null && $Object.hasOwnProperty.call(m, "signature") && m.signature.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.signature);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a SignedBroadcast message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.SignedBroadcast
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.SignedBroadcast & dan.tss.SignedBroadcast.$Shape} SignedBroadcast
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SignedBroadcast.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.SignedBroadcast();
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
                                m.body = v;
                            else
                                delete m.body;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.signature = v;
                            else
                                delete m.signature;
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

            return SignedBroadcast;
        })();

        tss.EquivocationProof = (function() {

            /**
             * Properties of an EquivocationProof.
             * @typedef {Object} dan.tss.EquivocationProof.$Properties
             * @property {Uint8Array|null} [instance] EquivocationProof instance
             * @property {dan.tss.ProtocolKind|null} [protocol] EquivocationProof protocol
             * @property {number|null} [party] EquivocationProof party
             * @property {dan.tss.SignedBroadcast.$Properties|null} [first] EquivocationProof first
             * @property {dan.tss.SignedBroadcast.$Properties|null} [second] EquivocationProof second
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an EquivocationProof.
             * @memberof dan.tss
             * @interface IEquivocationProof
             * @augments dan.tss.EquivocationProof.$Properties
             * @deprecated Use dan.tss.EquivocationProof.$Properties instead.
             */

            /**
             * Shape of an EquivocationProof.
             * @typedef {dan.tss.EquivocationProof.$Properties} dan.tss.EquivocationProof.$Shape
             */

            /**
             * Constructs a new EquivocationProof.
             * @memberof dan.tss
             * @classdesc Represents an EquivocationProof.
             * @constructor
             * @param {dan.tss.EquivocationProof.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const EquivocationProof = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * EquivocationProof instance.
             * @member {Uint8Array} instance
             * @memberof dan.tss.EquivocationProof
             * @instance
             */
            EquivocationProof.prototype.instance = $util.newBuffer([]);

            /**
             * EquivocationProof protocol.
             * @member {dan.tss.ProtocolKind} protocol
             * @memberof dan.tss.EquivocationProof
             * @instance
             */
            EquivocationProof.prototype.protocol = 0;

            /**
             * EquivocationProof party.
             * @member {number} party
             * @memberof dan.tss.EquivocationProof
             * @instance
             */
            EquivocationProof.prototype.party = 0;

            /**
             * EquivocationProof first.
             * @member {dan.tss.SignedBroadcast.$Properties|null|undefined} first
             * @memberof dan.tss.EquivocationProof
             * @instance
             */
            EquivocationProof.prototype.first = null;

            /**
             * EquivocationProof second.
             * @member {dan.tss.SignedBroadcast.$Properties|null|undefined} second
             * @memberof dan.tss.EquivocationProof
             * @instance
             */
            EquivocationProof.prototype.second = null;

            /**
             * Creates a new EquivocationProof instance using the specified properties.
             * @function create
             * @memberof dan.tss.EquivocationProof
             * @static
             * @param {dan.tss.EquivocationProof.$Properties=} [properties] Properties to set
             * @returns {dan.tss.EquivocationProof} EquivocationProof instance
             * @type {{
             *   (properties: dan.tss.EquivocationProof.$Shape): dan.tss.EquivocationProof & dan.tss.EquivocationProof.$Shape;
             *   (properties?: dan.tss.EquivocationProof.$Properties): dan.tss.EquivocationProof;
             * }}
             */
            EquivocationProof.create = function(properties) {
                return new EquivocationProof(properties);
            };

            /**
             * Encodes the specified EquivocationProof message. Does not implicitly {@link dan.tss.EquivocationProof.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.EquivocationProof
             * @static
             * @param {dan.tss.EquivocationProof.$Properties} m EquivocationProof message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            EquivocationProof.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.instance != null && $Object.hasOwnProperty.call(m, "instance") && m.instance.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.instance);
                if (m.protocol != null && $Object.hasOwnProperty.call(m, "protocol") && m.protocol !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).int32(m.protocol);
                if (m.party != null && $Object.hasOwnProperty.call(m, "party") && m.party !== 0)
                    w.uint32(/* id 3, wireType 0 =*/24).uint32(m.party);
                if (m.first != null && $Object.hasOwnProperty.call(m, "first"))
                    $root.dan.tss.SignedBroadcast.encode(m.first, w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                if (m.second != null && $Object.hasOwnProperty.call(m, "second"))
                    $root.dan.tss.SignedBroadcast.encode(m.second, w.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes an EquivocationProof message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.EquivocationProof
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.EquivocationProof & dan.tss.EquivocationProof.$Shape} EquivocationProof
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            EquivocationProof.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.EquivocationProof();
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
                                m.instance = v;
                            else
                                delete m.instance;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.int32())
                                m.protocol = v;
                            else
                                delete m.protocol;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.party = v;
                            else
                                delete m.party;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            m.first = $root.dan.tss.SignedBroadcast.decode(r, r.size(), $undefined, q + 1, m.first);
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            m.second = $root.dan.tss.SignedBroadcast.decode(r, r.size(), $undefined, q + 1, m.second);
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

            return EquivocationProof;
        })();

        tss.DkgRound1 = (function() {

            /**
             * Properties of a DkgRound1.
             * @typedef {Object} dan.tss.DkgRound1.$Properties
             * @property {Uint8Array|null} [sid] DkgRound1 sid
             * @property {Uint8Array|null} [commitment] DkgRound1 commitment
             * @property {Uint8Array|null} [x] DkgRound1 x
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DkgRound1.
             * @memberof dan.tss
             * @interface IDkgRound1
             * @augments dan.tss.DkgRound1.$Properties
             * @deprecated Use dan.tss.DkgRound1.$Properties instead.
             */

            /**
             * Shape of a DkgRound1.
             * @typedef {dan.tss.DkgRound1.$Properties} dan.tss.DkgRound1.$Shape
             */

            /**
             * Constructs a new DkgRound1.
             * @memberof dan.tss
             * @classdesc Represents a DkgRound1.
             * @constructor
             * @param {dan.tss.DkgRound1.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DkgRound1 = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * DkgRound1 sid.
             * @member {Uint8Array} sid
             * @memberof dan.tss.DkgRound1
             * @instance
             */
            DkgRound1.prototype.sid = $util.newBuffer([]);

            /**
             * DkgRound1 commitment.
             * @member {Uint8Array} commitment
             * @memberof dan.tss.DkgRound1
             * @instance
             */
            DkgRound1.prototype.commitment = $util.newBuffer([]);

            /**
             * DkgRound1 x.
             * @member {Uint8Array} x
             * @memberof dan.tss.DkgRound1
             * @instance
             */
            DkgRound1.prototype.x = $util.newBuffer([]);

            /**
             * Creates a new DkgRound1 instance using the specified properties.
             * @function create
             * @memberof dan.tss.DkgRound1
             * @static
             * @param {dan.tss.DkgRound1.$Properties=} [properties] Properties to set
             * @returns {dan.tss.DkgRound1} DkgRound1 instance
             * @type {{
             *   (properties: dan.tss.DkgRound1.$Shape): dan.tss.DkgRound1 & dan.tss.DkgRound1.$Shape;
             *   (properties?: dan.tss.DkgRound1.$Properties): dan.tss.DkgRound1;
             * }}
             */
            DkgRound1.create = function(properties) {
                return new DkgRound1(properties);
            };

            /**
             * Encodes the specified DkgRound1 message. Does not implicitly {@link dan.tss.DkgRound1.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.DkgRound1
             * @static
             * @param {dan.tss.DkgRound1.$Properties} m DkgRound1 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DkgRound1.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.sid != null && $Object.hasOwnProperty.call(m, "sid") && m.sid.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.sid);
                if (m.commitment != null && $Object.hasOwnProperty.call(m, "commitment") && m.commitment.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.commitment);
                if (m.x != null && $Object.hasOwnProperty.call(m, "x") && m.x.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.x);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a DkgRound1 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.DkgRound1
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.DkgRound1 & dan.tss.DkgRound1.$Shape} DkgRound1
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DkgRound1.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.DkgRound1();
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
                                m.sid = v;
                            else
                                delete m.sid;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.commitment = v;
                            else
                                delete m.commitment;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.x = v;
                            else
                                delete m.x;
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

            return DkgRound1;
        })();

        tss.DkgRound2 = (function() {

            /**
             * Properties of a DkgRound2.
             * @typedef {Object} dan.tss.DkgRound2.$Properties
             * @property {Array.<Uint8Array>|null} [coefficients] DkgRound2 coefficients
             * @property {Uint8Array|null} [blind] DkgRound2 blind
             * @property {Array.<dan.tss.DlogProof.$Properties>|null} [proofs] DkgRound2 proofs
             * @property {Uint8Array|null} [baseOt] DkgRound2 baseOt
             * @property {Array.<dan.tss.SignedBroadcast.$Properties>|null} [seen] DkgRound2 seen
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DkgRound2.
             * @memberof dan.tss
             * @interface IDkgRound2
             * @augments dan.tss.DkgRound2.$Properties
             * @deprecated Use dan.tss.DkgRound2.$Properties instead.
             */

            /**
             * Shape of a DkgRound2.
             * @typedef {dan.tss.DkgRound2.$Properties} dan.tss.DkgRound2.$Shape
             */

            /**
             * Constructs a new DkgRound2.
             * @memberof dan.tss
             * @classdesc Represents a DkgRound2.
             * @constructor
             * @param {dan.tss.DkgRound2.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DkgRound2 = function (p) {
                this.coefficients = [];
                this.proofs = [];
                this.seen = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * DkgRound2 coefficients.
             * @member {Array.<Uint8Array>} coefficients
             * @memberof dan.tss.DkgRound2
             * @instance
             */
            DkgRound2.prototype.coefficients = $util.emptyArray;

            /**
             * DkgRound2 blind.
             * @member {Uint8Array} blind
             * @memberof dan.tss.DkgRound2
             * @instance
             */
            DkgRound2.prototype.blind = $util.newBuffer([]);

            /**
             * DkgRound2 proofs.
             * @member {Array.<dan.tss.DlogProof.$Properties>} proofs
             * @memberof dan.tss.DkgRound2
             * @instance
             */
            DkgRound2.prototype.proofs = $util.emptyArray;

            /**
             * DkgRound2 baseOt.
             * @member {Uint8Array} baseOt
             * @memberof dan.tss.DkgRound2
             * @instance
             */
            DkgRound2.prototype.baseOt = $util.newBuffer([]);

            /**
             * DkgRound2 seen.
             * @member {Array.<dan.tss.SignedBroadcast.$Properties>} seen
             * @memberof dan.tss.DkgRound2
             * @instance
             */
            DkgRound2.prototype.seen = $util.emptyArray;

            /**
             * Creates a new DkgRound2 instance using the specified properties.
             * @function create
             * @memberof dan.tss.DkgRound2
             * @static
             * @param {dan.tss.DkgRound2.$Properties=} [properties] Properties to set
             * @returns {dan.tss.DkgRound2} DkgRound2 instance
             * @type {{
             *   (properties: dan.tss.DkgRound2.$Shape): dan.tss.DkgRound2 & dan.tss.DkgRound2.$Shape;
             *   (properties?: dan.tss.DkgRound2.$Properties): dan.tss.DkgRound2;
             * }}
             */
            DkgRound2.create = function(properties) {
                return new DkgRound2(properties);
            };

            /**
             * Encodes the specified DkgRound2 message. Does not implicitly {@link dan.tss.DkgRound2.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.DkgRound2
             * @static
             * @param {dan.tss.DkgRound2.$Properties} m DkgRound2 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DkgRound2.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.coefficients != null && m.coefficients.length) {
                    for (var i = 0; i < m.coefficients.length; ++i)
                        w.uint32(/* id 2, wireType 2 =*/18).bytes(m.coefficients[i]);
                }
                if (m.blind != null && $Object.hasOwnProperty.call(m, "blind") && m.blind.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.blind);
                if (m.proofs != null && m.proofs.length) {
                    for (var i = 0; i < m.proofs.length; ++i)
                        $root.dan.tss.DlogProof.encode(m.proofs[i], w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                }
                if (m.baseOt != null && $Object.hasOwnProperty.call(m, "baseOt") && m.baseOt.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.baseOt);
                if (m.seen != null && m.seen.length) {
                    for (var i = 0; i < m.seen.length; ++i)
                        $root.dan.tss.SignedBroadcast.encode(m.seen[i], w.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a DkgRound2 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.DkgRound2
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.DkgRound2 & dan.tss.DkgRound2.$Shape} DkgRound2
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DkgRound2.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.DkgRound2();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 2: {
                            if (u !== 2)
                                break;
                            if (!(m.coefficients && m.coefficients.length))
                                m.coefficients = [];
                            m.coefficients.push(r.bytes());
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.blind = v;
                            else
                                delete m.blind;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if (!(m.proofs && m.proofs.length))
                                m.proofs = [];
                            m.proofs.push($root.dan.tss.DlogProof.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.baseOt = v;
                            else
                                delete m.baseOt;
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if (!(m.seen && m.seen.length))
                                m.seen = [];
                            m.seen.push($root.dan.tss.SignedBroadcast.decode(r, r.size(), $undefined, q + 1));
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

            return DkgRound2;
        })();

        tss.DkgRound3 = (function() {

            /**
             * Properties of a DkgRound3.
             * @typedef {Object} dan.tss.DkgRound3.$Properties
             * @property {Array.<Uint8Array>|null} [aggregate] DkgRound3 aggregate
             * @property {Uint8Array|null} [share] DkgRound3 share
             * @property {Uint8Array|null} [baseOt] DkgRound3 baseOt
             * @property {Uint8Array|null} [pprf] DkgRound3 pprf
             * @property {Uint8Array|null} [zeroSeed] DkgRound3 zeroSeed
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DkgRound3.
             * @memberof dan.tss
             * @interface IDkgRound3
             * @augments dan.tss.DkgRound3.$Properties
             * @deprecated Use dan.tss.DkgRound3.$Properties instead.
             */

            /**
             * Shape of a DkgRound3.
             * @typedef {dan.tss.DkgRound3.$Properties} dan.tss.DkgRound3.$Shape
             */

            /**
             * Constructs a new DkgRound3.
             * @memberof dan.tss
             * @classdesc Represents a DkgRound3.
             * @constructor
             * @param {dan.tss.DkgRound3.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DkgRound3 = function (p) {
                this.aggregate = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * DkgRound3 aggregate.
             * @member {Array.<Uint8Array>} aggregate
             * @memberof dan.tss.DkgRound3
             * @instance
             */
            DkgRound3.prototype.aggregate = $util.emptyArray;

            /**
             * DkgRound3 share.
             * @member {Uint8Array} share
             * @memberof dan.tss.DkgRound3
             * @instance
             */
            DkgRound3.prototype.share = $util.newBuffer([]);

            /**
             * DkgRound3 baseOt.
             * @member {Uint8Array} baseOt
             * @memberof dan.tss.DkgRound3
             * @instance
             */
            DkgRound3.prototype.baseOt = $util.newBuffer([]);

            /**
             * DkgRound3 pprf.
             * @member {Uint8Array} pprf
             * @memberof dan.tss.DkgRound3
             * @instance
             */
            DkgRound3.prototype.pprf = $util.newBuffer([]);

            /**
             * DkgRound3 zeroSeed.
             * @member {Uint8Array} zeroSeed
             * @memberof dan.tss.DkgRound3
             * @instance
             */
            DkgRound3.prototype.zeroSeed = $util.newBuffer([]);

            /**
             * Creates a new DkgRound3 instance using the specified properties.
             * @function create
             * @memberof dan.tss.DkgRound3
             * @static
             * @param {dan.tss.DkgRound3.$Properties=} [properties] Properties to set
             * @returns {dan.tss.DkgRound3} DkgRound3 instance
             * @type {{
             *   (properties: dan.tss.DkgRound3.$Shape): dan.tss.DkgRound3 & dan.tss.DkgRound3.$Shape;
             *   (properties?: dan.tss.DkgRound3.$Properties): dan.tss.DkgRound3;
             * }}
             */
            DkgRound3.create = function(properties) {
                return new DkgRound3(properties);
            };

            /**
             * Encodes the specified DkgRound3 message. Does not implicitly {@link dan.tss.DkgRound3.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.DkgRound3
             * @static
             * @param {dan.tss.DkgRound3.$Properties} m DkgRound3 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DkgRound3.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.aggregate != null && m.aggregate.length) {
                    for (var i = 0; i < m.aggregate.length; ++i)
                        w.uint32(/* id 2, wireType 2 =*/18).bytes(m.aggregate[i]);
                }
                if (m.share != null && $Object.hasOwnProperty.call(m, "share") && m.share.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.share);
                if (m.baseOt != null && $Object.hasOwnProperty.call(m, "baseOt") && m.baseOt.length)
                    w.uint32(/* id 4, wireType 2 =*/34).bytes(m.baseOt);
                if (m.pprf != null && $Object.hasOwnProperty.call(m, "pprf") && m.pprf.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.pprf);
                if (m.zeroSeed != null && $Object.hasOwnProperty.call(m, "zeroSeed") && m.zeroSeed.length)
                    w.uint32(/* id 6, wireType 2 =*/50).bytes(m.zeroSeed);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a DkgRound3 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.DkgRound3
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.DkgRound3 & dan.tss.DkgRound3.$Shape} DkgRound3
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DkgRound3.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.DkgRound3();
                while (r.pos < c) {
                    var s = r.pos;
                    var t = r.tag();
                    if (t === z) {
                        z = $undefined;
                        break;
                    }
                    var u = t & 7;
                    switch (t >>>= 3) {
                    case 2: {
                            if (u !== 2)
                                break;
                            if (!(m.aggregate && m.aggregate.length))
                                m.aggregate = [];
                            m.aggregate.push(r.bytes());
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.share = v;
                            else
                                delete m.share;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.baseOt = v;
                            else
                                delete m.baseOt;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.pprf = v;
                            else
                                delete m.pprf;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.zeroSeed = v;
                            else
                                delete m.zeroSeed;
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

            return DkgRound3;
        })();

        tss.DkgRound4 = (function() {

            /**
             * Properties of a DkgRound4.
             * @typedef {Object} dan.tss.DkgRound4.$Properties
             * @property {Uint8Array|null} [publicKey] DkgRound4 publicKey
             * @property {Uint8Array|null} [publicShare] DkgRound4 publicShare
             * @property {dan.tss.DlogProof.$Properties|null} [proof] DkgRound4 proof
             * @property {Array.<Uint8Array>|null} [zeroSeedTags] DkgRound4 zeroSeedTags
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DkgRound4.
             * @memberof dan.tss
             * @interface IDkgRound4
             * @augments dan.tss.DkgRound4.$Properties
             * @deprecated Use dan.tss.DkgRound4.$Properties instead.
             */

            /**
             * Shape of a DkgRound4.
             * @typedef {dan.tss.DkgRound4.$Properties} dan.tss.DkgRound4.$Shape
             */

            /**
             * Constructs a new DkgRound4.
             * @memberof dan.tss
             * @classdesc Represents a DkgRound4.
             * @constructor
             * @param {dan.tss.DkgRound4.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DkgRound4 = function (p) {
                this.zeroSeedTags = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * DkgRound4 publicKey.
             * @member {Uint8Array} publicKey
             * @memberof dan.tss.DkgRound4
             * @instance
             */
            DkgRound4.prototype.publicKey = $util.newBuffer([]);

            /**
             * DkgRound4 publicShare.
             * @member {Uint8Array} publicShare
             * @memberof dan.tss.DkgRound4
             * @instance
             */
            DkgRound4.prototype.publicShare = $util.newBuffer([]);

            /**
             * DkgRound4 proof.
             * @member {dan.tss.DlogProof.$Properties|null|undefined} proof
             * @memberof dan.tss.DkgRound4
             * @instance
             */
            DkgRound4.prototype.proof = null;

            /**
             * DkgRound4 zeroSeedTags.
             * @member {Array.<Uint8Array>} zeroSeedTags
             * @memberof dan.tss.DkgRound4
             * @instance
             */
            DkgRound4.prototype.zeroSeedTags = $util.emptyArray;

            /**
             * Creates a new DkgRound4 instance using the specified properties.
             * @function create
             * @memberof dan.tss.DkgRound4
             * @static
             * @param {dan.tss.DkgRound4.$Properties=} [properties] Properties to set
             * @returns {dan.tss.DkgRound4} DkgRound4 instance
             * @type {{
             *   (properties: dan.tss.DkgRound4.$Shape): dan.tss.DkgRound4 & dan.tss.DkgRound4.$Shape;
             *   (properties?: dan.tss.DkgRound4.$Properties): dan.tss.DkgRound4;
             * }}
             */
            DkgRound4.create = function(properties) {
                return new DkgRound4(properties);
            };

            /**
             * Encodes the specified DkgRound4 message. Does not implicitly {@link dan.tss.DkgRound4.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.DkgRound4
             * @static
             * @param {dan.tss.DkgRound4.$Properties} m DkgRound4 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DkgRound4.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey") && m.publicKey.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.publicKey);
                if (m.publicShare != null && $Object.hasOwnProperty.call(m, "publicShare") && m.publicShare.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.publicShare);
                if (m.proof != null && $Object.hasOwnProperty.call(m, "proof"))
                    $root.dan.tss.DlogProof.encode(m.proof, w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                if (m.zeroSeedTags != null && m.zeroSeedTags.length) {
                    for (var i = 0; i < m.zeroSeedTags.length; ++i)
                        w.uint32(/* id 4, wireType 2 =*/34).bytes(m.zeroSeedTags[i]);
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a DkgRound4 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.DkgRound4
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.DkgRound4 & dan.tss.DkgRound4.$Shape} DkgRound4
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DkgRound4.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.DkgRound4();
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
                                m.publicKey = v;
                            else
                                delete m.publicKey;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.publicShare = v;
                            else
                                delete m.publicShare;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            m.proof = $root.dan.tss.DlogProof.decode(r, r.size(), $undefined, q + 1, m.proof);
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if (!(m.zeroSeedTags && m.zeroSeedTags.length))
                                m.zeroSeedTags = [];
                            m.zeroSeedTags.push(r.bytes());
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

            return DkgRound4;
        })();

        tss.ReshareRound1 = (function() {

            /**
             * Properties of a ReshareRound1.
             * @typedef {Object} dan.tss.ReshareRound1.$Properties
             * @property {Uint8Array|null} [sid] ReshareRound1 sid
             * @property {Uint8Array|null} [commitment] ReshareRound1 commitment
             * @property {Uint8Array|null} [x] ReshareRound1 x
             * @property {Uint8Array|null} [oldKey] ReshareRound1 oldKey
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ReshareRound1.
             * @memberof dan.tss
             * @interface IReshareRound1
             * @augments dan.tss.ReshareRound1.$Properties
             * @deprecated Use dan.tss.ReshareRound1.$Properties instead.
             */

            /**
             * Shape of a ReshareRound1.
             * @typedef {dan.tss.ReshareRound1.$Properties} dan.tss.ReshareRound1.$Shape
             */

            /**
             * Constructs a new ReshareRound1.
             * @memberof dan.tss
             * @classdesc Represents a ReshareRound1.
             * @constructor
             * @param {dan.tss.ReshareRound1.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ReshareRound1 = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ReshareRound1 sid.
             * @member {Uint8Array} sid
             * @memberof dan.tss.ReshareRound1
             * @instance
             */
            ReshareRound1.prototype.sid = $util.newBuffer([]);

            /**
             * ReshareRound1 commitment.
             * @member {Uint8Array} commitment
             * @memberof dan.tss.ReshareRound1
             * @instance
             */
            ReshareRound1.prototype.commitment = $util.newBuffer([]);

            /**
             * ReshareRound1 x.
             * @member {Uint8Array} x
             * @memberof dan.tss.ReshareRound1
             * @instance
             */
            ReshareRound1.prototype.x = $util.newBuffer([]);

            /**
             * ReshareRound1 oldKey.
             * @member {Uint8Array} oldKey
             * @memberof dan.tss.ReshareRound1
             * @instance
             */
            ReshareRound1.prototype.oldKey = $util.newBuffer([]);

            /**
             * Creates a new ReshareRound1 instance using the specified properties.
             * @function create
             * @memberof dan.tss.ReshareRound1
             * @static
             * @param {dan.tss.ReshareRound1.$Properties=} [properties] Properties to set
             * @returns {dan.tss.ReshareRound1} ReshareRound1 instance
             * @type {{
             *   (properties: dan.tss.ReshareRound1.$Shape): dan.tss.ReshareRound1 & dan.tss.ReshareRound1.$Shape;
             *   (properties?: dan.tss.ReshareRound1.$Properties): dan.tss.ReshareRound1;
             * }}
             */
            ReshareRound1.create = function(properties) {
                return new ReshareRound1(properties);
            };

            /**
             * Encodes the specified ReshareRound1 message. Does not implicitly {@link dan.tss.ReshareRound1.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.ReshareRound1
             * @static
             * @param {dan.tss.ReshareRound1.$Properties} m ReshareRound1 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReshareRound1.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.sid != null && $Object.hasOwnProperty.call(m, "sid") && m.sid.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.sid);
                if (m.commitment != null && $Object.hasOwnProperty.call(m, "commitment") && m.commitment.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.commitment);
                if (m.x != null && $Object.hasOwnProperty.call(m, "x") && m.x.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.x);
                if (m.oldKey != null && $Object.hasOwnProperty.call(m, "oldKey") && m.oldKey.length)
                    w.uint32(/* id 4, wireType 2 =*/34).bytes(m.oldKey);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a ReshareRound1 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.ReshareRound1
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.ReshareRound1 & dan.tss.ReshareRound1.$Shape} ReshareRound1
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReshareRound1.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.ReshareRound1();
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
                                m.sid = v;
                            else
                                delete m.sid;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.commitment = v;
                            else
                                delete m.commitment;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.x = v;
                            else
                                delete m.x;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.oldKey = v;
                            else
                                delete m.oldKey;
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

            return ReshareRound1;
        })();

        tss.ReshareRound2 = (function() {

            /**
             * Properties of a ReshareRound2.
             * @typedef {Object} dan.tss.ReshareRound2.$Properties
             * @property {Array.<dan.tss.SignedBroadcast.$Properties>|null} [seen] ReshareRound2 seen
             * @property {Array.<Uint8Array>|null} [coefficients] ReshareRound2 coefficients
             * @property {Uint8Array|null} [blind] ReshareRound2 blind
             * @property {Array.<dan.tss.DlogProof.$Properties>|null} [proofs] ReshareRound2 proofs
             * @property {Uint8Array|null} [baseOt] ReshareRound2 baseOt
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ReshareRound2.
             * @memberof dan.tss
             * @interface IReshareRound2
             * @augments dan.tss.ReshareRound2.$Properties
             * @deprecated Use dan.tss.ReshareRound2.$Properties instead.
             */

            /**
             * Shape of a ReshareRound2.
             * @typedef {dan.tss.ReshareRound2.$Properties} dan.tss.ReshareRound2.$Shape
             */

            /**
             * Constructs a new ReshareRound2.
             * @memberof dan.tss
             * @classdesc Represents a ReshareRound2.
             * @constructor
             * @param {dan.tss.ReshareRound2.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ReshareRound2 = function (p) {
                this.seen = [];
                this.coefficients = [];
                this.proofs = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ReshareRound2 seen.
             * @member {Array.<dan.tss.SignedBroadcast.$Properties>} seen
             * @memberof dan.tss.ReshareRound2
             * @instance
             */
            ReshareRound2.prototype.seen = $util.emptyArray;

            /**
             * ReshareRound2 coefficients.
             * @member {Array.<Uint8Array>} coefficients
             * @memberof dan.tss.ReshareRound2
             * @instance
             */
            ReshareRound2.prototype.coefficients = $util.emptyArray;

            /**
             * ReshareRound2 blind.
             * @member {Uint8Array} blind
             * @memberof dan.tss.ReshareRound2
             * @instance
             */
            ReshareRound2.prototype.blind = $util.newBuffer([]);

            /**
             * ReshareRound2 proofs.
             * @member {Array.<dan.tss.DlogProof.$Properties>} proofs
             * @memberof dan.tss.ReshareRound2
             * @instance
             */
            ReshareRound2.prototype.proofs = $util.emptyArray;

            /**
             * ReshareRound2 baseOt.
             * @member {Uint8Array} baseOt
             * @memberof dan.tss.ReshareRound2
             * @instance
             */
            ReshareRound2.prototype.baseOt = $util.newBuffer([]);

            /**
             * Creates a new ReshareRound2 instance using the specified properties.
             * @function create
             * @memberof dan.tss.ReshareRound2
             * @static
             * @param {dan.tss.ReshareRound2.$Properties=} [properties] Properties to set
             * @returns {dan.tss.ReshareRound2} ReshareRound2 instance
             * @type {{
             *   (properties: dan.tss.ReshareRound2.$Shape): dan.tss.ReshareRound2 & dan.tss.ReshareRound2.$Shape;
             *   (properties?: dan.tss.ReshareRound2.$Properties): dan.tss.ReshareRound2;
             * }}
             */
            ReshareRound2.create = function(properties) {
                return new ReshareRound2(properties);
            };

            /**
             * Encodes the specified ReshareRound2 message. Does not implicitly {@link dan.tss.ReshareRound2.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.ReshareRound2
             * @static
             * @param {dan.tss.ReshareRound2.$Properties} m ReshareRound2 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReshareRound2.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.seen != null && m.seen.length) {
                    for (var i = 0; i < m.seen.length; ++i)
                        $root.dan.tss.SignedBroadcast.encode(m.seen[i], w.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                }
                if (m.coefficients != null && m.coefficients.length) {
                    for (var i = 0; i < m.coefficients.length; ++i)
                        w.uint32(/* id 2, wireType 2 =*/18).bytes(m.coefficients[i]);
                }
                if (m.blind != null && $Object.hasOwnProperty.call(m, "blind") && m.blind.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.blind);
                if (m.proofs != null && m.proofs.length) {
                    for (var i = 0; i < m.proofs.length; ++i)
                        $root.dan.tss.DlogProof.encode(m.proofs[i], w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                }
                if (m.baseOt != null && $Object.hasOwnProperty.call(m, "baseOt") && m.baseOt.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.baseOt);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a ReshareRound2 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.ReshareRound2
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.ReshareRound2 & dan.tss.ReshareRound2.$Shape} ReshareRound2
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReshareRound2.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.ReshareRound2();
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
                            if (!(m.seen && m.seen.length))
                                m.seen = [];
                            m.seen.push($root.dan.tss.SignedBroadcast.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if (!(m.coefficients && m.coefficients.length))
                                m.coefficients = [];
                            m.coefficients.push(r.bytes());
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.blind = v;
                            else
                                delete m.blind;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if (!(m.proofs && m.proofs.length))
                                m.proofs = [];
                            m.proofs.push($root.dan.tss.DlogProof.decode(r, r.size(), $undefined, q + 1));
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.baseOt = v;
                            else
                                delete m.baseOt;
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

            return ReshareRound2;
        })();

        tss.ReshareRound3 = (function() {

            /**
             * Properties of a ReshareRound3.
             * @typedef {Object} dan.tss.ReshareRound3.$Properties
             * @property {Array.<Uint8Array>|null} [aggregate] ReshareRound3 aggregate
             * @property {Uint8Array|null} [share] ReshareRound3 share
             * @property {Uint8Array|null} [baseOt] ReshareRound3 baseOt
             * @property {Uint8Array|null} [pprf] ReshareRound3 pprf
             * @property {Uint8Array|null} [zeroSeed] ReshareRound3 zeroSeed
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ReshareRound3.
             * @memberof dan.tss
             * @interface IReshareRound3
             * @augments dan.tss.ReshareRound3.$Properties
             * @deprecated Use dan.tss.ReshareRound3.$Properties instead.
             */

            /**
             * Shape of a ReshareRound3.
             * @typedef {dan.tss.ReshareRound3.$Properties} dan.tss.ReshareRound3.$Shape
             */

            /**
             * Constructs a new ReshareRound3.
             * @memberof dan.tss
             * @classdesc Represents a ReshareRound3.
             * @constructor
             * @param {dan.tss.ReshareRound3.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ReshareRound3 = function (p) {
                this.aggregate = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ReshareRound3 aggregate.
             * @member {Array.<Uint8Array>} aggregate
             * @memberof dan.tss.ReshareRound3
             * @instance
             */
            ReshareRound3.prototype.aggregate = $util.emptyArray;

            /**
             * ReshareRound3 share.
             * @member {Uint8Array} share
             * @memberof dan.tss.ReshareRound3
             * @instance
             */
            ReshareRound3.prototype.share = $util.newBuffer([]);

            /**
             * ReshareRound3 baseOt.
             * @member {Uint8Array} baseOt
             * @memberof dan.tss.ReshareRound3
             * @instance
             */
            ReshareRound3.prototype.baseOt = $util.newBuffer([]);

            /**
             * ReshareRound3 pprf.
             * @member {Uint8Array} pprf
             * @memberof dan.tss.ReshareRound3
             * @instance
             */
            ReshareRound3.prototype.pprf = $util.newBuffer([]);

            /**
             * ReshareRound3 zeroSeed.
             * @member {Uint8Array} zeroSeed
             * @memberof dan.tss.ReshareRound3
             * @instance
             */
            ReshareRound3.prototype.zeroSeed = $util.newBuffer([]);

            /**
             * Creates a new ReshareRound3 instance using the specified properties.
             * @function create
             * @memberof dan.tss.ReshareRound3
             * @static
             * @param {dan.tss.ReshareRound3.$Properties=} [properties] Properties to set
             * @returns {dan.tss.ReshareRound3} ReshareRound3 instance
             * @type {{
             *   (properties: dan.tss.ReshareRound3.$Shape): dan.tss.ReshareRound3 & dan.tss.ReshareRound3.$Shape;
             *   (properties?: dan.tss.ReshareRound3.$Properties): dan.tss.ReshareRound3;
             * }}
             */
            ReshareRound3.create = function(properties) {
                return new ReshareRound3(properties);
            };

            /**
             * Encodes the specified ReshareRound3 message. Does not implicitly {@link dan.tss.ReshareRound3.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.ReshareRound3
             * @static
             * @param {dan.tss.ReshareRound3.$Properties} m ReshareRound3 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReshareRound3.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.aggregate != null && m.aggregate.length) {
                    for (var i = 0; i < m.aggregate.length; ++i)
                        w.uint32(/* id 1, wireType 2 =*/10).bytes(m.aggregate[i]);
                }
                if (m.share != null && $Object.hasOwnProperty.call(m, "share") && m.share.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.share);
                if (m.baseOt != null && $Object.hasOwnProperty.call(m, "baseOt") && m.baseOt.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.baseOt);
                if (m.pprf != null && $Object.hasOwnProperty.call(m, "pprf") && m.pprf.length)
                    w.uint32(/* id 4, wireType 2 =*/34).bytes(m.pprf);
                if (m.zeroSeed != null && $Object.hasOwnProperty.call(m, "zeroSeed") && m.zeroSeed.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.zeroSeed);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a ReshareRound3 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.ReshareRound3
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.ReshareRound3 & dan.tss.ReshareRound3.$Shape} ReshareRound3
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReshareRound3.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.ReshareRound3();
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
                            if (!(m.aggregate && m.aggregate.length))
                                m.aggregate = [];
                            m.aggregate.push(r.bytes());
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.share = v;
                            else
                                delete m.share;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.baseOt = v;
                            else
                                delete m.baseOt;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.pprf = v;
                            else
                                delete m.pprf;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.zeroSeed = v;
                            else
                                delete m.zeroSeed;
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

            return ReshareRound3;
        })();

        tss.ReshareRound4 = (function() {

            /**
             * Properties of a ReshareRound4.
             * @typedef {Object} dan.tss.ReshareRound4.$Properties
             * @property {Uint8Array|null} [publicKey] ReshareRound4 publicKey
             * @property {Uint8Array|null} [publicShare] ReshareRound4 publicShare
             * @property {dan.tss.DlogProof.$Properties|null} [proof] ReshareRound4 proof
             * @property {Array.<Uint8Array>|null} [zeroSeedTags] ReshareRound4 zeroSeedTags
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ReshareRound4.
             * @memberof dan.tss
             * @interface IReshareRound4
             * @augments dan.tss.ReshareRound4.$Properties
             * @deprecated Use dan.tss.ReshareRound4.$Properties instead.
             */

            /**
             * Shape of a ReshareRound4.
             * @typedef {dan.tss.ReshareRound4.$Properties} dan.tss.ReshareRound4.$Shape
             */

            /**
             * Constructs a new ReshareRound4.
             * @memberof dan.tss
             * @classdesc Represents a ReshareRound4.
             * @constructor
             * @param {dan.tss.ReshareRound4.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ReshareRound4 = function (p) {
                this.zeroSeedTags = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * ReshareRound4 publicKey.
             * @member {Uint8Array} publicKey
             * @memberof dan.tss.ReshareRound4
             * @instance
             */
            ReshareRound4.prototype.publicKey = $util.newBuffer([]);

            /**
             * ReshareRound4 publicShare.
             * @member {Uint8Array} publicShare
             * @memberof dan.tss.ReshareRound4
             * @instance
             */
            ReshareRound4.prototype.publicShare = $util.newBuffer([]);

            /**
             * ReshareRound4 proof.
             * @member {dan.tss.DlogProof.$Properties|null|undefined} proof
             * @memberof dan.tss.ReshareRound4
             * @instance
             */
            ReshareRound4.prototype.proof = null;

            /**
             * ReshareRound4 zeroSeedTags.
             * @member {Array.<Uint8Array>} zeroSeedTags
             * @memberof dan.tss.ReshareRound4
             * @instance
             */
            ReshareRound4.prototype.zeroSeedTags = $util.emptyArray;

            /**
             * Creates a new ReshareRound4 instance using the specified properties.
             * @function create
             * @memberof dan.tss.ReshareRound4
             * @static
             * @param {dan.tss.ReshareRound4.$Properties=} [properties] Properties to set
             * @returns {dan.tss.ReshareRound4} ReshareRound4 instance
             * @type {{
             *   (properties: dan.tss.ReshareRound4.$Shape): dan.tss.ReshareRound4 & dan.tss.ReshareRound4.$Shape;
             *   (properties?: dan.tss.ReshareRound4.$Properties): dan.tss.ReshareRound4;
             * }}
             */
            ReshareRound4.create = function(properties) {
                return new ReshareRound4(properties);
            };

            /**
             * Encodes the specified ReshareRound4 message. Does not implicitly {@link dan.tss.ReshareRound4.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.ReshareRound4
             * @static
             * @param {dan.tss.ReshareRound4.$Properties} m ReshareRound4 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ReshareRound4.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey") && m.publicKey.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.publicKey);
                if (m.publicShare != null && $Object.hasOwnProperty.call(m, "publicShare") && m.publicShare.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.publicShare);
                if (m.proof != null && $Object.hasOwnProperty.call(m, "proof"))
                    $root.dan.tss.DlogProof.encode(m.proof, w.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                if (m.zeroSeedTags != null && m.zeroSeedTags.length) {
                    for (var i = 0; i < m.zeroSeedTags.length; ++i)
                        w.uint32(/* id 4, wireType 2 =*/34).bytes(m.zeroSeedTags[i]);
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a ReshareRound4 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.ReshareRound4
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.ReshareRound4 & dan.tss.ReshareRound4.$Shape} ReshareRound4
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ReshareRound4.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.ReshareRound4();
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
                                m.publicKey = v;
                            else
                                delete m.publicKey;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.publicShare = v;
                            else
                                delete m.publicShare;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            m.proof = $root.dan.tss.DlogProof.decode(r, r.size(), $undefined, q + 1, m.proof);
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if (!(m.zeroSeedTags && m.zeroSeedTags.length))
                                m.zeroSeedTags = [];
                            m.zeroSeedTags.push(r.bytes());
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

            return ReshareRound4;
        })();

        tss.PresignRound1 = (function() {

            /**
             * Properties of a PresignRound1.
             * @typedef {Object} dan.tss.PresignRound1.$Properties
             * @property {Uint8Array|null} [sid] PresignRound1 sid
             * @property {Uint8Array|null} [commitment] PresignRound1 commitment
             * @property {Uint8Array|null} [rerandomizerCommitment] PresignRound1 rerandomizerCommitment
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PresignRound1.
             * @memberof dan.tss
             * @interface IPresignRound1
             * @augments dan.tss.PresignRound1.$Properties
             * @deprecated Use dan.tss.PresignRound1.$Properties instead.
             */

            /**
             * Shape of a PresignRound1.
             * @typedef {dan.tss.PresignRound1.$Properties} dan.tss.PresignRound1.$Shape
             */

            /**
             * Constructs a new PresignRound1.
             * @memberof dan.tss
             * @classdesc Represents a PresignRound1.
             * @constructor
             * @param {dan.tss.PresignRound1.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PresignRound1 = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * PresignRound1 sid.
             * @member {Uint8Array} sid
             * @memberof dan.tss.PresignRound1
             * @instance
             */
            PresignRound1.prototype.sid = $util.newBuffer([]);

            /**
             * PresignRound1 commitment.
             * @member {Uint8Array} commitment
             * @memberof dan.tss.PresignRound1
             * @instance
             */
            PresignRound1.prototype.commitment = $util.newBuffer([]);

            /**
             * PresignRound1 rerandomizerCommitment.
             * @member {Uint8Array} rerandomizerCommitment
             * @memberof dan.tss.PresignRound1
             * @instance
             */
            PresignRound1.prototype.rerandomizerCommitment = $util.newBuffer([]);

            /**
             * Creates a new PresignRound1 instance using the specified properties.
             * @function create
             * @memberof dan.tss.PresignRound1
             * @static
             * @param {dan.tss.PresignRound1.$Properties=} [properties] Properties to set
             * @returns {dan.tss.PresignRound1} PresignRound1 instance
             * @type {{
             *   (properties: dan.tss.PresignRound1.$Shape): dan.tss.PresignRound1 & dan.tss.PresignRound1.$Shape;
             *   (properties?: dan.tss.PresignRound1.$Properties): dan.tss.PresignRound1;
             * }}
             */
            PresignRound1.create = function(properties) {
                return new PresignRound1(properties);
            };

            /**
             * Encodes the specified PresignRound1 message. Does not implicitly {@link dan.tss.PresignRound1.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.PresignRound1
             * @static
             * @param {dan.tss.PresignRound1.$Properties} m PresignRound1 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PresignRound1.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.sid != null && $Object.hasOwnProperty.call(m, "sid") && m.sid.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.sid);
                if (m.commitment != null && $Object.hasOwnProperty.call(m, "commitment") && m.commitment.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.commitment);
                if (m.rerandomizerCommitment != null && $Object.hasOwnProperty.call(m, "rerandomizerCommitment") && m.rerandomizerCommitment.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.rerandomizerCommitment);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a PresignRound1 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.PresignRound1
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.PresignRound1 & dan.tss.PresignRound1.$Shape} PresignRound1
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PresignRound1.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.PresignRound1();
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
                                m.sid = v;
                            else
                                delete m.sid;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.commitment = v;
                            else
                                delete m.commitment;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.rerandomizerCommitment = v;
                            else
                                delete m.rerandomizerCommitment;
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

            return PresignRound1;
        })();

        tss.PresignRound2 = (function() {

            /**
             * Properties of a PresignRound2.
             * @typedef {Object} dan.tss.PresignRound2.$Properties
             * @property {Uint8Array|null} [sessionHash] PresignRound2 sessionHash
             * @property {Uint8Array|null} [rvole] PresignRound2 rvole
             * @property {Array.<dan.tss.SignedBroadcast.$Properties>|null} [seen] PresignRound2 seen
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PresignRound2.
             * @memberof dan.tss
             * @interface IPresignRound2
             * @augments dan.tss.PresignRound2.$Properties
             * @deprecated Use dan.tss.PresignRound2.$Properties instead.
             */

            /**
             * Shape of a PresignRound2.
             * @typedef {dan.tss.PresignRound2.$Properties} dan.tss.PresignRound2.$Shape
             */

            /**
             * Constructs a new PresignRound2.
             * @memberof dan.tss
             * @classdesc Represents a PresignRound2.
             * @constructor
             * @param {dan.tss.PresignRound2.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PresignRound2 = function (p) {
                this.seen = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * PresignRound2 sessionHash.
             * @member {Uint8Array} sessionHash
             * @memberof dan.tss.PresignRound2
             * @instance
             */
            PresignRound2.prototype.sessionHash = $util.newBuffer([]);

            /**
             * PresignRound2 rvole.
             * @member {Uint8Array} rvole
             * @memberof dan.tss.PresignRound2
             * @instance
             */
            PresignRound2.prototype.rvole = $util.newBuffer([]);

            /**
             * PresignRound2 seen.
             * @member {Array.<dan.tss.SignedBroadcast.$Properties>} seen
             * @memberof dan.tss.PresignRound2
             * @instance
             */
            PresignRound2.prototype.seen = $util.emptyArray;

            /**
             * Creates a new PresignRound2 instance using the specified properties.
             * @function create
             * @memberof dan.tss.PresignRound2
             * @static
             * @param {dan.tss.PresignRound2.$Properties=} [properties] Properties to set
             * @returns {dan.tss.PresignRound2} PresignRound2 instance
             * @type {{
             *   (properties: dan.tss.PresignRound2.$Shape): dan.tss.PresignRound2 & dan.tss.PresignRound2.$Shape;
             *   (properties?: dan.tss.PresignRound2.$Properties): dan.tss.PresignRound2;
             * }}
             */
            PresignRound2.create = function(properties) {
                return new PresignRound2(properties);
            };

            /**
             * Encodes the specified PresignRound2 message. Does not implicitly {@link dan.tss.PresignRound2.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.PresignRound2
             * @static
             * @param {dan.tss.PresignRound2.$Properties} m PresignRound2 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PresignRound2.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.sessionHash != null && $Object.hasOwnProperty.call(m, "sessionHash") && m.sessionHash.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.sessionHash);
                if (m.rvole != null && $Object.hasOwnProperty.call(m, "rvole") && m.rvole.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.rvole);
                if (m.seen != null && m.seen.length) {
                    for (var i = 0; i < m.seen.length; ++i)
                        $root.dan.tss.SignedBroadcast.encode(m.seen[i], w.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a PresignRound2 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.PresignRound2
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.PresignRound2 & dan.tss.PresignRound2.$Shape} PresignRound2
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PresignRound2.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.PresignRound2();
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
                                m.sessionHash = v;
                            else
                                delete m.sessionHash;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.rvole = v;
                            else
                                delete m.rvole;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if (!(m.seen && m.seen.length))
                                m.seen = [];
                            m.seen.push($root.dan.tss.SignedBroadcast.decode(r, r.size(), $undefined, q + 1));
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

            return PresignRound2;
        })();

        tss.PresignRound3 = (function() {

            /**
             * Properties of a PresignRound3.
             * @typedef {Object} dan.tss.PresignRound3.$Properties
             * @property {Uint8Array|null} [sessionHash] PresignRound3 sessionHash
             * @property {Uint8Array|null} [rvole] PresignRound3 rvole
             * @property {Uint8Array|null} [digest] PresignRound3 digest
             * @property {Uint8Array|null} [publicShare] PresignRound3 publicShare
             * @property {Uint8Array|null} [noncePoint] PresignRound3 noncePoint
             * @property {Uint8Array|null} [blind] PresignRound3 blind
             * @property {Uint8Array|null} [gammaU] PresignRound3 gammaU
             * @property {Uint8Array|null} [gammaV] PresignRound3 gammaV
             * @property {Uint8Array|null} [psi] PresignRound3 psi
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PresignRound3.
             * @memberof dan.tss
             * @interface IPresignRound3
             * @augments dan.tss.PresignRound3.$Properties
             * @deprecated Use dan.tss.PresignRound3.$Properties instead.
             */

            /**
             * Shape of a PresignRound3.
             * @typedef {dan.tss.PresignRound3.$Properties} dan.tss.PresignRound3.$Shape
             */

            /**
             * Constructs a new PresignRound3.
             * @memberof dan.tss
             * @classdesc Represents a PresignRound3.
             * @constructor
             * @param {dan.tss.PresignRound3.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PresignRound3 = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * PresignRound3 sessionHash.
             * @member {Uint8Array} sessionHash
             * @memberof dan.tss.PresignRound3
             * @instance
             */
            PresignRound3.prototype.sessionHash = $util.newBuffer([]);

            /**
             * PresignRound3 rvole.
             * @member {Uint8Array} rvole
             * @memberof dan.tss.PresignRound3
             * @instance
             */
            PresignRound3.prototype.rvole = $util.newBuffer([]);

            /**
             * PresignRound3 digest.
             * @member {Uint8Array} digest
             * @memberof dan.tss.PresignRound3
             * @instance
             */
            PresignRound3.prototype.digest = $util.newBuffer([]);

            /**
             * PresignRound3 publicShare.
             * @member {Uint8Array} publicShare
             * @memberof dan.tss.PresignRound3
             * @instance
             */
            PresignRound3.prototype.publicShare = $util.newBuffer([]);

            /**
             * PresignRound3 noncePoint.
             * @member {Uint8Array} noncePoint
             * @memberof dan.tss.PresignRound3
             * @instance
             */
            PresignRound3.prototype.noncePoint = $util.newBuffer([]);

            /**
             * PresignRound3 blind.
             * @member {Uint8Array} blind
             * @memberof dan.tss.PresignRound3
             * @instance
             */
            PresignRound3.prototype.blind = $util.newBuffer([]);

            /**
             * PresignRound3 gammaU.
             * @member {Uint8Array} gammaU
             * @memberof dan.tss.PresignRound3
             * @instance
             */
            PresignRound3.prototype.gammaU = $util.newBuffer([]);

            /**
             * PresignRound3 gammaV.
             * @member {Uint8Array} gammaV
             * @memberof dan.tss.PresignRound3
             * @instance
             */
            PresignRound3.prototype.gammaV = $util.newBuffer([]);

            /**
             * PresignRound3 psi.
             * @member {Uint8Array} psi
             * @memberof dan.tss.PresignRound3
             * @instance
             */
            PresignRound3.prototype.psi = $util.newBuffer([]);

            /**
             * Creates a new PresignRound3 instance using the specified properties.
             * @function create
             * @memberof dan.tss.PresignRound3
             * @static
             * @param {dan.tss.PresignRound3.$Properties=} [properties] Properties to set
             * @returns {dan.tss.PresignRound3} PresignRound3 instance
             * @type {{
             *   (properties: dan.tss.PresignRound3.$Shape): dan.tss.PresignRound3 & dan.tss.PresignRound3.$Shape;
             *   (properties?: dan.tss.PresignRound3.$Properties): dan.tss.PresignRound3;
             * }}
             */
            PresignRound3.create = function(properties) {
                return new PresignRound3(properties);
            };

            /**
             * Encodes the specified PresignRound3 message. Does not implicitly {@link dan.tss.PresignRound3.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.PresignRound3
             * @static
             * @param {dan.tss.PresignRound3.$Properties} m PresignRound3 message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PresignRound3.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.sessionHash != null && $Object.hasOwnProperty.call(m, "sessionHash") && m.sessionHash.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.sessionHash);
                if (m.rvole != null && $Object.hasOwnProperty.call(m, "rvole") && m.rvole.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.rvole);
                if (m.digest != null && $Object.hasOwnProperty.call(m, "digest") && m.digest.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.digest);
                if (m.publicShare != null && $Object.hasOwnProperty.call(m, "publicShare") && m.publicShare.length)
                    w.uint32(/* id 4, wireType 2 =*/34).bytes(m.publicShare);
                if (m.noncePoint != null && $Object.hasOwnProperty.call(m, "noncePoint") && m.noncePoint.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.noncePoint);
                if (m.blind != null && $Object.hasOwnProperty.call(m, "blind") && m.blind.length)
                    w.uint32(/* id 6, wireType 2 =*/50).bytes(m.blind);
                if (m.gammaU != null && $Object.hasOwnProperty.call(m, "gammaU") && m.gammaU.length)
                    w.uint32(/* id 7, wireType 2 =*/58).bytes(m.gammaU);
                if (m.gammaV != null && $Object.hasOwnProperty.call(m, "gammaV") && m.gammaV.length)
                    w.uint32(/* id 8, wireType 2 =*/66).bytes(m.gammaV);
                if (m.psi != null && $Object.hasOwnProperty.call(m, "psi") && m.psi.length)
                    w.uint32(/* id 9, wireType 2 =*/74).bytes(m.psi);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a PresignRound3 message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.PresignRound3
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.PresignRound3 & dan.tss.PresignRound3.$Shape} PresignRound3
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PresignRound3.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.PresignRound3();
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
                                m.sessionHash = v;
                            else
                                delete m.sessionHash;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.rvole = v;
                            else
                                delete m.rvole;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.digest = v;
                            else
                                delete m.digest;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.publicShare = v;
                            else
                                delete m.publicShare;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.noncePoint = v;
                            else
                                delete m.noncePoint;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.blind = v;
                            else
                                delete m.blind;
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.gammaU = v;
                            else
                                delete m.gammaU;
                            continue;
                        }
                    case 8: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.gammaV = v;
                            else
                                delete m.gammaV;
                            continue;
                        }
                    case 9: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.psi = v;
                            else
                                delete m.psi;
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

            return PresignRound3;
        })();

        tss.PartialSignature = (function() {

            /**
             * Properties of a PartialSignature.
             * @typedef {Object} dan.tss.PartialSignature.$Properties
             * @property {Uint8Array|null} [presignatureId] PartialSignature presignatureId
             * @property {number|null} [from] PartialSignature from
             * @property {Array.<number>|null} [signers] PartialSignature signers
             * @property {Uint8Array|null} [noncePoint] PartialSignature noncePoint
             * @property {Uint8Array|null} [s0] PartialSignature s0
             * @property {Uint8Array|null} [s1] PartialSignature s1
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PartialSignature.
             * @memberof dan.tss
             * @interface IPartialSignature
             * @augments dan.tss.PartialSignature.$Properties
             * @deprecated Use dan.tss.PartialSignature.$Properties instead.
             */

            /**
             * Shape of a PartialSignature.
             * @typedef {dan.tss.PartialSignature.$Properties} dan.tss.PartialSignature.$Shape
             */

            /**
             * Constructs a new PartialSignature.
             * @memberof dan.tss
             * @classdesc Represents a PartialSignature.
             * @constructor
             * @param {dan.tss.PartialSignature.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PartialSignature = function (p) {
                this.signers = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * PartialSignature presignatureId.
             * @member {Uint8Array} presignatureId
             * @memberof dan.tss.PartialSignature
             * @instance
             */
            PartialSignature.prototype.presignatureId = $util.newBuffer([]);

            /**
             * PartialSignature from.
             * @member {number} from
             * @memberof dan.tss.PartialSignature
             * @instance
             */
            PartialSignature.prototype.from = 0;

            /**
             * PartialSignature signers.
             * @member {Array.<number>} signers
             * @memberof dan.tss.PartialSignature
             * @instance
             */
            PartialSignature.prototype.signers = $util.emptyArray;

            /**
             * PartialSignature noncePoint.
             * @member {Uint8Array} noncePoint
             * @memberof dan.tss.PartialSignature
             * @instance
             */
            PartialSignature.prototype.noncePoint = $util.newBuffer([]);

            /**
             * PartialSignature s0.
             * @member {Uint8Array} s0
             * @memberof dan.tss.PartialSignature
             * @instance
             */
            PartialSignature.prototype.s0 = $util.newBuffer([]);

            /**
             * PartialSignature s1.
             * @member {Uint8Array} s1
             * @memberof dan.tss.PartialSignature
             * @instance
             */
            PartialSignature.prototype.s1 = $util.newBuffer([]);

            /**
             * Creates a new PartialSignature instance using the specified properties.
             * @function create
             * @memberof dan.tss.PartialSignature
             * @static
             * @param {dan.tss.PartialSignature.$Properties=} [properties] Properties to set
             * @returns {dan.tss.PartialSignature} PartialSignature instance
             * @type {{
             *   (properties: dan.tss.PartialSignature.$Shape): dan.tss.PartialSignature & dan.tss.PartialSignature.$Shape;
             *   (properties?: dan.tss.PartialSignature.$Properties): dan.tss.PartialSignature;
             * }}
             */
            PartialSignature.create = function(properties) {
                return new PartialSignature(properties);
            };

            /**
             * Encodes the specified PartialSignature message. Does not implicitly {@link dan.tss.PartialSignature.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.PartialSignature
             * @static
             * @param {dan.tss.PartialSignature.$Properties} m PartialSignature message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PartialSignature.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.presignatureId != null && $Object.hasOwnProperty.call(m, "presignatureId") && m.presignatureId.length)
                    w.uint32(/* id 1, wireType 2 =*/10).bytes(m.presignatureId);
                if (m.from != null && $Object.hasOwnProperty.call(m, "from") && m.from !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).uint32(m.from);
                if (m.signers != null && m.signers.length) {
                    w.uint32(/* id 3, wireType 2 =*/26).uint32s(m.signers);
                }
                if (m.noncePoint != null && $Object.hasOwnProperty.call(m, "noncePoint") && m.noncePoint.length)
                    w.uint32(/* id 4, wireType 2 =*/34).bytes(m.noncePoint);
                if (m.s0 != null && $Object.hasOwnProperty.call(m, "s0") && m.s0.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.s0);
                if (m.s1 != null && $Object.hasOwnProperty.call(m, "s1") && m.s1.length)
                    w.uint32(/* id 6, wireType 2 =*/50).bytes(m.s1);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a PartialSignature message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.PartialSignature
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.PartialSignature & dan.tss.PartialSignature.$Shape} PartialSignature
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PartialSignature.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.PartialSignature();
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
                                m.presignatureId = v;
                            else
                                delete m.presignatureId;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.from = v;
                            else
                                delete m.from;
                            continue;
                        }
                    case 3: {
                            if (u === 2) {
                                if (!(m.signers && m.signers.length))
                                    m.signers = [];
                                r.uint32s(m.signers);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.signers && m.signers.length))
                                m.signers = [];
                            m.signers.push(r.uint32());
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.noncePoint = v;
                            else
                                delete m.noncePoint;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.s0 = v;
                            else
                                delete m.s0;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.s1 = v;
                            else
                                delete m.s1;
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

            return PartialSignature;
        })();

        tss.KeySharePeer = (function() {

            /**
             * Properties of a KeySharePeer.
             * @typedef {Object} dan.tss.KeySharePeer.$Properties
             * @property {number|null} [party] KeySharePeer party
             * @property {Uint8Array|null} [otLeaves] KeySharePeer otLeaves
             * @property {Uint8Array|null} [otDelta] KeySharePeer otDelta
             * @property {Uint8Array|null} [otPunctured] KeySharePeer otPunctured
             * @property {Uint8Array|null} [zeroSeed] KeySharePeer zeroSeed
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a KeySharePeer.
             * @memberof dan.tss
             * @interface IKeySharePeer
             * @augments dan.tss.KeySharePeer.$Properties
             * @deprecated Use dan.tss.KeySharePeer.$Properties instead.
             */

            /**
             * Shape of a KeySharePeer.
             * @typedef {dan.tss.KeySharePeer.$Properties} dan.tss.KeySharePeer.$Shape
             */

            /**
             * Constructs a new KeySharePeer.
             * @memberof dan.tss
             * @classdesc Represents a KeySharePeer.
             * @constructor
             * @param {dan.tss.KeySharePeer.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const KeySharePeer = function (p) {
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * KeySharePeer party.
             * @member {number} party
             * @memberof dan.tss.KeySharePeer
             * @instance
             */
            KeySharePeer.prototype.party = 0;

            /**
             * KeySharePeer otLeaves.
             * @member {Uint8Array} otLeaves
             * @memberof dan.tss.KeySharePeer
             * @instance
             */
            KeySharePeer.prototype.otLeaves = $util.newBuffer([]);

            /**
             * KeySharePeer otDelta.
             * @member {Uint8Array} otDelta
             * @memberof dan.tss.KeySharePeer
             * @instance
             */
            KeySharePeer.prototype.otDelta = $util.newBuffer([]);

            /**
             * KeySharePeer otPunctured.
             * @member {Uint8Array} otPunctured
             * @memberof dan.tss.KeySharePeer
             * @instance
             */
            KeySharePeer.prototype.otPunctured = $util.newBuffer([]);

            /**
             * KeySharePeer zeroSeed.
             * @member {Uint8Array} zeroSeed
             * @memberof dan.tss.KeySharePeer
             * @instance
             */
            KeySharePeer.prototype.zeroSeed = $util.newBuffer([]);

            /**
             * Creates a new KeySharePeer instance using the specified properties.
             * @function create
             * @memberof dan.tss.KeySharePeer
             * @static
             * @param {dan.tss.KeySharePeer.$Properties=} [properties] Properties to set
             * @returns {dan.tss.KeySharePeer} KeySharePeer instance
             * @type {{
             *   (properties: dan.tss.KeySharePeer.$Shape): dan.tss.KeySharePeer & dan.tss.KeySharePeer.$Shape;
             *   (properties?: dan.tss.KeySharePeer.$Properties): dan.tss.KeySharePeer;
             * }}
             */
            KeySharePeer.create = function(properties) {
                return new KeySharePeer(properties);
            };

            /**
             * Encodes the specified KeySharePeer message. Does not implicitly {@link dan.tss.KeySharePeer.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.KeySharePeer
             * @static
             * @param {dan.tss.KeySharePeer.$Properties} m KeySharePeer message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KeySharePeer.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.party != null && $Object.hasOwnProperty.call(m, "party") && m.party !== 0)
                    w.uint32(/* id 1, wireType 0 =*/8).uint32(m.party);
                if (m.otLeaves != null && $Object.hasOwnProperty.call(m, "otLeaves") && m.otLeaves.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.otLeaves);
                if (m.otDelta != null && $Object.hasOwnProperty.call(m, "otDelta") && m.otDelta.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.otDelta);
                if (m.otPunctured != null && $Object.hasOwnProperty.call(m, "otPunctured") && m.otPunctured.length)
                    w.uint32(/* id 4, wireType 2 =*/34).bytes(m.otPunctured);
                if (m.zeroSeed != null && $Object.hasOwnProperty.call(m, "zeroSeed") && m.zeroSeed.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.zeroSeed);
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a KeySharePeer message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.KeySharePeer
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.KeySharePeer & dan.tss.KeySharePeer.$Shape} KeySharePeer
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KeySharePeer.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.KeySharePeer();
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
                            if (v = r.uint32())
                                m.party = v;
                            else
                                delete m.party;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.otLeaves = v;
                            else
                                delete m.otLeaves;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.otDelta = v;
                            else
                                delete m.otDelta;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.otPunctured = v;
                            else
                                delete m.otPunctured;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.zeroSeed = v;
                            else
                                delete m.zeroSeed;
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

            return KeySharePeer;
        })();

        tss.KeyShareRecord = (function() {

            /**
             * Properties of a KeyShareRecord.
             * @typedef {Object} dan.tss.KeyShareRecord.$Properties
             * @property {number|null} [version] KeyShareRecord version
             * @property {number|null} [threshold] KeyShareRecord threshold
             * @property {number|null} [parties] KeyShareRecord parties
             * @property {number|null} [party] KeyShareRecord party
             * @property {Uint8Array|null} [publicKey] KeyShareRecord publicKey
             * @property {Uint8Array|null} [generation] KeyShareRecord generation
             * @property {Uint8Array|null} [share] KeyShareRecord share
             * @property {Array.<Uint8Array>|null} [xs] KeyShareRecord xs
             * @property {Array.<Uint8Array>|null} [publicShares] KeyShareRecord publicShares
             * @property {Array.<dan.tss.KeySharePeer.$Properties>|null} [peers] KeyShareRecord peers
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a KeyShareRecord.
             * @memberof dan.tss
             * @interface IKeyShareRecord
             * @augments dan.tss.KeyShareRecord.$Properties
             * @deprecated Use dan.tss.KeyShareRecord.$Properties instead.
             */

            /**
             * Shape of a KeyShareRecord.
             * @typedef {dan.tss.KeyShareRecord.$Properties} dan.tss.KeyShareRecord.$Shape
             */

            /**
             * Constructs a new KeyShareRecord.
             * @memberof dan.tss
             * @classdesc Represents a KeyShareRecord.
             * @constructor
             * @param {dan.tss.KeyShareRecord.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const KeyShareRecord = function (p) {
                this.xs = [];
                this.publicShares = [];
                this.peers = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * KeyShareRecord version.
             * @member {number} version
             * @memberof dan.tss.KeyShareRecord
             * @instance
             */
            KeyShareRecord.prototype.version = 0;

            /**
             * KeyShareRecord threshold.
             * @member {number} threshold
             * @memberof dan.tss.KeyShareRecord
             * @instance
             */
            KeyShareRecord.prototype.threshold = 0;

            /**
             * KeyShareRecord parties.
             * @member {number} parties
             * @memberof dan.tss.KeyShareRecord
             * @instance
             */
            KeyShareRecord.prototype.parties = 0;

            /**
             * KeyShareRecord party.
             * @member {number} party
             * @memberof dan.tss.KeyShareRecord
             * @instance
             */
            KeyShareRecord.prototype.party = 0;

            /**
             * KeyShareRecord publicKey.
             * @member {Uint8Array} publicKey
             * @memberof dan.tss.KeyShareRecord
             * @instance
             */
            KeyShareRecord.prototype.publicKey = $util.newBuffer([]);

            /**
             * KeyShareRecord generation.
             * @member {Uint8Array} generation
             * @memberof dan.tss.KeyShareRecord
             * @instance
             */
            KeyShareRecord.prototype.generation = $util.newBuffer([]);

            /**
             * KeyShareRecord share.
             * @member {Uint8Array} share
             * @memberof dan.tss.KeyShareRecord
             * @instance
             */
            KeyShareRecord.prototype.share = $util.newBuffer([]);

            /**
             * KeyShareRecord xs.
             * @member {Array.<Uint8Array>} xs
             * @memberof dan.tss.KeyShareRecord
             * @instance
             */
            KeyShareRecord.prototype.xs = $util.emptyArray;

            /**
             * KeyShareRecord publicShares.
             * @member {Array.<Uint8Array>} publicShares
             * @memberof dan.tss.KeyShareRecord
             * @instance
             */
            KeyShareRecord.prototype.publicShares = $util.emptyArray;

            /**
             * KeyShareRecord peers.
             * @member {Array.<dan.tss.KeySharePeer.$Properties>} peers
             * @memberof dan.tss.KeyShareRecord
             * @instance
             */
            KeyShareRecord.prototype.peers = $util.emptyArray;

            /**
             * Creates a new KeyShareRecord instance using the specified properties.
             * @function create
             * @memberof dan.tss.KeyShareRecord
             * @static
             * @param {dan.tss.KeyShareRecord.$Properties=} [properties] Properties to set
             * @returns {dan.tss.KeyShareRecord} KeyShareRecord instance
             * @type {{
             *   (properties: dan.tss.KeyShareRecord.$Shape): dan.tss.KeyShareRecord & dan.tss.KeyShareRecord.$Shape;
             *   (properties?: dan.tss.KeyShareRecord.$Properties): dan.tss.KeyShareRecord;
             * }}
             */
            KeyShareRecord.create = function(properties) {
                return new KeyShareRecord(properties);
            };

            /**
             * Encodes the specified KeyShareRecord message. Does not implicitly {@link dan.tss.KeyShareRecord.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.KeyShareRecord
             * @static
             * @param {dan.tss.KeyShareRecord.$Properties} m KeyShareRecord message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KeyShareRecord.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                    w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
                if (m.threshold != null && $Object.hasOwnProperty.call(m, "threshold") && m.threshold !== 0)
                    w.uint32(/* id 2, wireType 0 =*/16).uint32(m.threshold);
                if (m.parties != null && $Object.hasOwnProperty.call(m, "parties") && m.parties !== 0)
                    w.uint32(/* id 3, wireType 0 =*/24).uint32(m.parties);
                if (m.party != null && $Object.hasOwnProperty.call(m, "party") && m.party !== 0)
                    w.uint32(/* id 4, wireType 0 =*/32).uint32(m.party);
                if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey") && m.publicKey.length)
                    w.uint32(/* id 5, wireType 2 =*/42).bytes(m.publicKey);
                if (m.generation != null && $Object.hasOwnProperty.call(m, "generation") && m.generation.length)
                    w.uint32(/* id 6, wireType 2 =*/50).bytes(m.generation);
                if (m.share != null && $Object.hasOwnProperty.call(m, "share") && m.share.length)
                    w.uint32(/* id 7, wireType 2 =*/58).bytes(m.share);
                if (m.xs != null && m.xs.length) {
                    for (var i = 0; i < m.xs.length; ++i)
                        w.uint32(/* id 8, wireType 2 =*/66).bytes(m.xs[i]);
                }
                if (m.publicShares != null && m.publicShares.length) {
                    for (var i = 0; i < m.publicShares.length; ++i)
                        w.uint32(/* id 9, wireType 2 =*/74).bytes(m.publicShares[i]);
                }
                if (m.peers != null && m.peers.length) {
                    for (var i = 0; i < m.peers.length; ++i)
                        $root.dan.tss.KeySharePeer.encode(m.peers[i], w.uint32(/* id 10, wireType 2 =*/82).fork(), q + 1).ldelim();
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a KeyShareRecord message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.KeyShareRecord
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.KeyShareRecord & dan.tss.KeyShareRecord.$Shape} KeyShareRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KeyShareRecord.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.KeyShareRecord();
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
                            if (v = r.uint32())
                                m.version = v;
                            else
                                delete m.version;
                            continue;
                        }
                    case 2: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.threshold = v;
                            else
                                delete m.threshold;
                            continue;
                        }
                    case 3: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.parties = v;
                            else
                                delete m.parties;
                            continue;
                        }
                    case 4: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.party = v;
                            else
                                delete m.party;
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.publicKey = v;
                            else
                                delete m.publicKey;
                            continue;
                        }
                    case 6: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.generation = v;
                            else
                                delete m.generation;
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.share = v;
                            else
                                delete m.share;
                            continue;
                        }
                    case 8: {
                            if (u !== 2)
                                break;
                            if (!(m.xs && m.xs.length))
                                m.xs = [];
                            m.xs.push(r.bytes());
                            continue;
                        }
                    case 9: {
                            if (u !== 2)
                                break;
                            if (!(m.publicShares && m.publicShares.length))
                                m.publicShares = [];
                            m.publicShares.push(r.bytes());
                            continue;
                        }
                    case 10: {
                            if (u !== 2)
                                break;
                            if (!(m.peers && m.peers.length))
                                m.peers = [];
                            m.peers.push($root.dan.tss.KeySharePeer.decode(r, r.size(), $undefined, q + 1));
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

            return KeyShareRecord;
        })();

        tss.GenerationRecord = (function() {

            /**
             * Properties of a GenerationRecord.
             * @typedef {Object} dan.tss.GenerationRecord.$Properties
             * @property {number|null} [threshold] GenerationRecord threshold
             * @property {Uint8Array|null} [publicKey] GenerationRecord publicKey
             * @property {Uint8Array|null} [generation] GenerationRecord generation
             * @property {Array.<Uint8Array>|null} [xs] GenerationRecord xs
             * @property {Array.<Uint8Array>|null} [publicShares] GenerationRecord publicShares
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a GenerationRecord.
             * @memberof dan.tss
             * @interface IGenerationRecord
             * @augments dan.tss.GenerationRecord.$Properties
             * @deprecated Use dan.tss.GenerationRecord.$Properties instead.
             */

            /**
             * Shape of a GenerationRecord.
             * @typedef {dan.tss.GenerationRecord.$Properties} dan.tss.GenerationRecord.$Shape
             */

            /**
             * Constructs a new GenerationRecord.
             * @memberof dan.tss
             * @classdesc Represents a GenerationRecord.
             * @constructor
             * @param {dan.tss.GenerationRecord.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const GenerationRecord = function (p) {
                this.xs = [];
                this.publicShares = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * GenerationRecord threshold.
             * @member {number} threshold
             * @memberof dan.tss.GenerationRecord
             * @instance
             */
            GenerationRecord.prototype.threshold = 0;

            /**
             * GenerationRecord publicKey.
             * @member {Uint8Array} publicKey
             * @memberof dan.tss.GenerationRecord
             * @instance
             */
            GenerationRecord.prototype.publicKey = $util.newBuffer([]);

            /**
             * GenerationRecord generation.
             * @member {Uint8Array} generation
             * @memberof dan.tss.GenerationRecord
             * @instance
             */
            GenerationRecord.prototype.generation = $util.newBuffer([]);

            /**
             * GenerationRecord xs.
             * @member {Array.<Uint8Array>} xs
             * @memberof dan.tss.GenerationRecord
             * @instance
             */
            GenerationRecord.prototype.xs = $util.emptyArray;

            /**
             * GenerationRecord publicShares.
             * @member {Array.<Uint8Array>} publicShares
             * @memberof dan.tss.GenerationRecord
             * @instance
             */
            GenerationRecord.prototype.publicShares = $util.emptyArray;

            /**
             * Creates a new GenerationRecord instance using the specified properties.
             * @function create
             * @memberof dan.tss.GenerationRecord
             * @static
             * @param {dan.tss.GenerationRecord.$Properties=} [properties] Properties to set
             * @returns {dan.tss.GenerationRecord} GenerationRecord instance
             * @type {{
             *   (properties: dan.tss.GenerationRecord.$Shape): dan.tss.GenerationRecord & dan.tss.GenerationRecord.$Shape;
             *   (properties?: dan.tss.GenerationRecord.$Properties): dan.tss.GenerationRecord;
             * }}
             */
            GenerationRecord.create = function(properties) {
                return new GenerationRecord(properties);
            };

            /**
             * Encodes the specified GenerationRecord message. Does not implicitly {@link dan.tss.GenerationRecord.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.GenerationRecord
             * @static
             * @param {dan.tss.GenerationRecord.$Properties} m GenerationRecord message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GenerationRecord.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.threshold != null && $Object.hasOwnProperty.call(m, "threshold") && m.threshold !== 0)
                    w.uint32(/* id 1, wireType 0 =*/8).uint32(m.threshold);
                if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey") && m.publicKey.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.publicKey);
                if (m.generation != null && $Object.hasOwnProperty.call(m, "generation") && m.generation.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.generation);
                if (m.xs != null && m.xs.length) {
                    for (var i = 0; i < m.xs.length; ++i)
                        w.uint32(/* id 4, wireType 2 =*/34).bytes(m.xs[i]);
                }
                if (m.publicShares != null && m.publicShares.length) {
                    for (var i = 0; i < m.publicShares.length; ++i)
                        w.uint32(/* id 5, wireType 2 =*/42).bytes(m.publicShares[i]);
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a GenerationRecord message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.GenerationRecord
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.GenerationRecord & dan.tss.GenerationRecord.$Shape} GenerationRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GenerationRecord.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.GenerationRecord();
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
                            if (v = r.uint32())
                                m.threshold = v;
                            else
                                delete m.threshold;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.publicKey = v;
                            else
                                delete m.publicKey;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.generation = v;
                            else
                                delete m.generation;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if (!(m.xs && m.xs.length))
                                m.xs = [];
                            m.xs.push(r.bytes());
                            continue;
                        }
                    case 5: {
                            if (u !== 2)
                                break;
                            if (!(m.publicShares && m.publicShares.length))
                                m.publicShares = [];
                            m.publicShares.push(r.bytes());
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

            return GenerationRecord;
        })();

        tss.PresignatureRecord = (function() {

            /**
             * Properties of a PresignatureRecord.
             * @typedef {Object} dan.tss.PresignatureRecord.$Properties
             * @property {number|null} [version] PresignatureRecord version
             * @property {Uint8Array|null} [id] PresignatureRecord id
             * @property {Uint8Array|null} [keyGeneration] PresignatureRecord keyGeneration
             * @property {Uint8Array|null} [publicKey] PresignatureRecord publicKey
             * @property {Array.<number>|null} [signers] PresignatureRecord signers
             * @property {number|null} [party] PresignatureRecord party
             * @property {Uint8Array|null} [noncePoint] PresignatureRecord noncePoint
             * @property {Uint8Array|null} [phi] PresignatureRecord phi
             * @property {Uint8Array|null} [s0] PresignatureRecord s0
             * @property {Uint8Array|null} [s1] PresignatureRecord s1
             * @property {Uint8Array|null} [phiPoint] PresignatureRecord phiPoint
             * @property {Uint8Array|null} [s1Point] PresignatureRecord s1Point
             * @property {Uint8Array|null} [bPoint] PresignatureRecord bPoint
             * @property {Uint8Array|null} [rerandomizerSeed] PresignatureRecord rerandomizerSeed
             * @property {Array.<Uint8Array>|null} [rerandomizerCommitments] PresignatureRecord rerandomizerCommitments
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PresignatureRecord.
             * @memberof dan.tss
             * @interface IPresignatureRecord
             * @augments dan.tss.PresignatureRecord.$Properties
             * @deprecated Use dan.tss.PresignatureRecord.$Properties instead.
             */

            /**
             * Shape of a PresignatureRecord.
             * @typedef {dan.tss.PresignatureRecord.$Properties} dan.tss.PresignatureRecord.$Shape
             */

            /**
             * Constructs a new PresignatureRecord.
             * @memberof dan.tss
             * @classdesc Represents a PresignatureRecord.
             * @constructor
             * @param {dan.tss.PresignatureRecord.$Properties=} [p] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PresignatureRecord = function (p) {
                this.signers = [];
                this.rerandomizerCommitments = [];
                if (p)
                    for (var ks = $Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            };

            /**
             * PresignatureRecord version.
             * @member {number} version
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.version = 0;

            /**
             * PresignatureRecord id.
             * @member {Uint8Array} id
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.id = $util.newBuffer([]);

            /**
             * PresignatureRecord keyGeneration.
             * @member {Uint8Array} keyGeneration
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.keyGeneration = $util.newBuffer([]);

            /**
             * PresignatureRecord publicKey.
             * @member {Uint8Array} publicKey
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.publicKey = $util.newBuffer([]);

            /**
             * PresignatureRecord signers.
             * @member {Array.<number>} signers
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.signers = $util.emptyArray;

            /**
             * PresignatureRecord party.
             * @member {number} party
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.party = 0;

            /**
             * PresignatureRecord noncePoint.
             * @member {Uint8Array} noncePoint
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.noncePoint = $util.newBuffer([]);

            /**
             * PresignatureRecord phi.
             * @member {Uint8Array} phi
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.phi = $util.newBuffer([]);

            /**
             * PresignatureRecord s0.
             * @member {Uint8Array} s0
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.s0 = $util.newBuffer([]);

            /**
             * PresignatureRecord s1.
             * @member {Uint8Array} s1
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.s1 = $util.newBuffer([]);

            /**
             * PresignatureRecord phiPoint.
             * @member {Uint8Array} phiPoint
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.phiPoint = $util.newBuffer([]);

            /**
             * PresignatureRecord s1Point.
             * @member {Uint8Array} s1Point
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.s1Point = $util.newBuffer([]);

            /**
             * PresignatureRecord bPoint.
             * @member {Uint8Array} bPoint
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.bPoint = $util.newBuffer([]);

            /**
             * PresignatureRecord rerandomizerSeed.
             * @member {Uint8Array} rerandomizerSeed
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.rerandomizerSeed = $util.newBuffer([]);

            /**
             * PresignatureRecord rerandomizerCommitments.
             * @member {Array.<Uint8Array>} rerandomizerCommitments
             * @memberof dan.tss.PresignatureRecord
             * @instance
             */
            PresignatureRecord.prototype.rerandomizerCommitments = $util.emptyArray;

            /**
             * Creates a new PresignatureRecord instance using the specified properties.
             * @function create
             * @memberof dan.tss.PresignatureRecord
             * @static
             * @param {dan.tss.PresignatureRecord.$Properties=} [properties] Properties to set
             * @returns {dan.tss.PresignatureRecord} PresignatureRecord instance
             * @type {{
             *   (properties: dan.tss.PresignatureRecord.$Shape): dan.tss.PresignatureRecord & dan.tss.PresignatureRecord.$Shape;
             *   (properties?: dan.tss.PresignatureRecord.$Properties): dan.tss.PresignatureRecord;
             * }}
             */
            PresignatureRecord.create = function(properties) {
                return new PresignatureRecord(properties);
            };

            /**
             * Encodes the specified PresignatureRecord message. Does not implicitly {@link dan.tss.PresignatureRecord.verify|verify} messages.
             * @function encode
             * @memberof dan.tss.PresignatureRecord
             * @static
             * @param {dan.tss.PresignatureRecord.$Properties} m PresignatureRecord message or plain object to encode
             * @param {$protobuf.Writer} [w] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PresignatureRecord.encode = function (m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === $undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (m.version != null && $Object.hasOwnProperty.call(m, "version") && m.version !== 0)
                    w.uint32(/* id 1, wireType 0 =*/8).uint32(m.version);
                if (m.id != null && $Object.hasOwnProperty.call(m, "id") && m.id.length)
                    w.uint32(/* id 2, wireType 2 =*/18).bytes(m.id);
                if (m.keyGeneration != null && $Object.hasOwnProperty.call(m, "keyGeneration") && m.keyGeneration.length)
                    w.uint32(/* id 3, wireType 2 =*/26).bytes(m.keyGeneration);
                if (m.publicKey != null && $Object.hasOwnProperty.call(m, "publicKey") && m.publicKey.length)
                    w.uint32(/* id 4, wireType 2 =*/34).bytes(m.publicKey);
                if (m.signers != null && m.signers.length) {
                    w.uint32(/* id 5, wireType 2 =*/42).uint32s(m.signers);
                }
                if (m.party != null && $Object.hasOwnProperty.call(m, "party") && m.party !== 0)
                    w.uint32(/* id 6, wireType 0 =*/48).uint32(m.party);
                if (m.noncePoint != null && $Object.hasOwnProperty.call(m, "noncePoint") && m.noncePoint.length)
                    w.uint32(/* id 7, wireType 2 =*/58).bytes(m.noncePoint);
                if (m.phi != null && $Object.hasOwnProperty.call(m, "phi") && m.phi.length)
                    w.uint32(/* id 8, wireType 2 =*/66).bytes(m.phi);
                if (m.s0 != null && $Object.hasOwnProperty.call(m, "s0") && m.s0.length)
                    w.uint32(/* id 9, wireType 2 =*/74).bytes(m.s0);
                if (m.s1 != null && $Object.hasOwnProperty.call(m, "s1") && m.s1.length)
                    w.uint32(/* id 10, wireType 2 =*/82).bytes(m.s1);
                if (m.phiPoint != null && $Object.hasOwnProperty.call(m, "phiPoint") && m.phiPoint.length)
                    w.uint32(/* id 11, wireType 2 =*/90).bytes(m.phiPoint);
                if (m.s1Point != null && $Object.hasOwnProperty.call(m, "s1Point") && m.s1Point.length)
                    w.uint32(/* id 12, wireType 2 =*/98).bytes(m.s1Point);
                if (m.bPoint != null && $Object.hasOwnProperty.call(m, "bPoint") && m.bPoint.length)
                    w.uint32(/* id 13, wireType 2 =*/106).bytes(m.bPoint);
                if (m.rerandomizerSeed != null && $Object.hasOwnProperty.call(m, "rerandomizerSeed") && m.rerandomizerSeed.length)
                    w.uint32(/* id 14, wireType 2 =*/114).bytes(m.rerandomizerSeed);
                if (m.rerandomizerCommitments != null && m.rerandomizerCommitments.length) {
                    for (var i = 0; i < m.rerandomizerCommitments.length; ++i)
                        w.uint32(/* id 15, wireType 2 =*/122).bytes(m.rerandomizerCommitments[i]);
                }
                if (m.$unknowns != null && $Object.hasOwnProperty.call(m, "$unknowns"))
                    for (var i = 0; i < m.$unknowns.length; ++i)
                        w.raw(m.$unknowns[i]);
                return w;
            };

            /**
             * Decodes a PresignatureRecord message from the specified reader or buffer.
             * @function decode
             * @memberof dan.tss.PresignatureRecord
             * @static
             * @param {$protobuf.Reader|Uint8Array} r Reader or buffer to decode from
             * @param {number} [l] Message length if known beforehand
             * @returns {dan.tss.PresignatureRecord & dan.tss.PresignatureRecord.$Shape} PresignatureRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PresignatureRecord.decode = function (r, l, z, q, g) {
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
                m = g || new $root.dan.tss.PresignatureRecord();
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
                            if (v = r.uint32())
                                m.version = v;
                            else
                                delete m.version;
                            continue;
                        }
                    case 2: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.id = v;
                            else
                                delete m.id;
                            continue;
                        }
                    case 3: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.keyGeneration = v;
                            else
                                delete m.keyGeneration;
                            continue;
                        }
                    case 4: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.publicKey = v;
                            else
                                delete m.publicKey;
                            continue;
                        }
                    case 5: {
                            if (u === 2) {
                                if (!(m.signers && m.signers.length))
                                    m.signers = [];
                                r.uint32s(m.signers);
                                continue;
                            }
                            if (u !== 0)
                                break;
                            if (!(m.signers && m.signers.length))
                                m.signers = [];
                            m.signers.push(r.uint32());
                            continue;
                        }
                    case 6: {
                            if (u !== 0)
                                break;
                            if (v = r.uint32())
                                m.party = v;
                            else
                                delete m.party;
                            continue;
                        }
                    case 7: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.noncePoint = v;
                            else
                                delete m.noncePoint;
                            continue;
                        }
                    case 8: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.phi = v;
                            else
                                delete m.phi;
                            continue;
                        }
                    case 9: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.s0 = v;
                            else
                                delete m.s0;
                            continue;
                        }
                    case 10: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.s1 = v;
                            else
                                delete m.s1;
                            continue;
                        }
                    case 11: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.phiPoint = v;
                            else
                                delete m.phiPoint;
                            continue;
                        }
                    case 12: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.s1Point = v;
                            else
                                delete m.s1Point;
                            continue;
                        }
                    case 13: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.bPoint = v;
                            else
                                delete m.bPoint;
                            continue;
                        }
                    case 14: {
                            if (u !== 2)
                                break;
                            if ((v = r.bytes()).length)
                                m.rerandomizerSeed = v;
                            else
                                delete m.rerandomizerSeed;
                            continue;
                        }
                    case 15: {
                            if (u !== 2)
                                break;
                            if (!(m.rerandomizerCommitments && m.rerandomizerCommitments.length))
                                m.rerandomizerCommitments = [];
                            m.rerandomizerCommitments.push(r.bytes());
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

            return PresignatureRecord;
        })();

        return tss;
    })();

    return dan;
})();

export {
  $root as default
};
