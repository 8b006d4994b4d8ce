import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace dan {

    namespace tss {

        enum ProtocolKind {
            PROTOCOL_UNSPECIFIED = 0,
            DKG = 1,
            REFRESH = 2,
            PRESIGN = 3,
            SIGN = 4,
            RESHARE = 5
        }

        interface IHeader extends dan.tss.Header.$Properties {
        }

        class Header {
            constructor(p?: dan.tss.Header.$Properties);
            $unknowns?: Uint8Array[];
            instance: Uint8Array;
            protocol: dan.tss.ProtocolKind;
            round: number;
            from: number;
            to: number;
            broadcast: boolean;
            static create(properties: dan.tss.Header.$Shape): dan.tss.Header & dan.tss.Header.$Shape;
            static create(properties?: dan.tss.Header.$Properties): dan.tss.Header;
            static encode(m: dan.tss.Header.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.Header & dan.tss.Header.$Shape;
        }

        namespace Header {
            interface $Properties {
                instance?: (Uint8Array|null);
                protocol?: (dan.tss.ProtocolKind|null);
                round?: (number|null);
                from?: (number|null);
                to?: (number|null);
                broadcast?: (boolean|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.Header.$Properties;
        }

        interface IEnvelope extends dan.tss.Envelope.$Properties {
        }

        class Envelope {
            constructor(p?: dan.tss.Envelope.$Properties);
            $unknowns?: Uint8Array[];
            header?: (dan.tss.Header.$Properties|null);
            body: Uint8Array;
            static create(properties: dan.tss.Envelope.$Shape): dan.tss.Envelope & dan.tss.Envelope.$Shape;
            static create(properties?: dan.tss.Envelope.$Properties): dan.tss.Envelope;
            static encode(m: dan.tss.Envelope.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.Envelope & dan.tss.Envelope.$Shape;
        }

        namespace Envelope {
            interface $Properties {
                header?: (dan.tss.Header.$Properties|null);
                body?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.Envelope.$Properties;
        }

        interface IDlogProof extends dan.tss.DlogProof.$Properties {
        }

        class DlogProof {
            constructor(p?: dan.tss.DlogProof.$Properties);
            $unknowns?: Uint8Array[];
            t: Uint8Array;
            s: Uint8Array;
            static create(properties: dan.tss.DlogProof.$Shape): dan.tss.DlogProof & dan.tss.DlogProof.$Shape;
            static create(properties?: dan.tss.DlogProof.$Properties): dan.tss.DlogProof;
            static encode(m: dan.tss.DlogProof.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.DlogProof & dan.tss.DlogProof.$Shape;
        }

        namespace DlogProof {
            interface $Properties {
                t?: (Uint8Array|null);
                s?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.DlogProof.$Properties;
        }

        interface ISignedBroadcast extends dan.tss.SignedBroadcast.$Properties {
        }

        class SignedBroadcast {
            constructor(p?: dan.tss.SignedBroadcast.$Properties);
            $unknowns?: Uint8Array[];
            body: Uint8Array;
            signature: Uint8Array;
            static create(properties: dan.tss.SignedBroadcast.$Shape): dan.tss.SignedBroadcast & dan.tss.SignedBroadcast.$Shape;
            static create(properties?: dan.tss.SignedBroadcast.$Properties): dan.tss.SignedBroadcast;
            static encode(m: dan.tss.SignedBroadcast.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.SignedBroadcast & dan.tss.SignedBroadcast.$Shape;
        }

        namespace SignedBroadcast {
            interface $Properties {
                body?: (Uint8Array|null);
                signature?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.SignedBroadcast.$Properties;
        }

        interface IEquivocationProof extends dan.tss.EquivocationProof.$Properties {
        }

        class EquivocationProof {
            constructor(p?: dan.tss.EquivocationProof.$Properties);
            $unknowns?: Uint8Array[];
            instance: Uint8Array;
            protocol: dan.tss.ProtocolKind;
            party: number;
            first?: (dan.tss.SignedBroadcast.$Properties|null);
            second?: (dan.tss.SignedBroadcast.$Properties|null);
            static create(properties: dan.tss.EquivocationProof.$Shape): dan.tss.EquivocationProof & dan.tss.EquivocationProof.$Shape;
            static create(properties?: dan.tss.EquivocationProof.$Properties): dan.tss.EquivocationProof;
            static encode(m: dan.tss.EquivocationProof.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.EquivocationProof & dan.tss.EquivocationProof.$Shape;
        }

        namespace EquivocationProof {
            interface $Properties {
                instance?: (Uint8Array|null);
                protocol?: (dan.tss.ProtocolKind|null);
                party?: (number|null);
                first?: (dan.tss.SignedBroadcast.$Properties|null);
                second?: (dan.tss.SignedBroadcast.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.EquivocationProof.$Properties;
        }

        interface IDkgRound1 extends dan.tss.DkgRound1.$Properties {
        }

        class DkgRound1 {
            constructor(p?: dan.tss.DkgRound1.$Properties);
            $unknowns?: Uint8Array[];
            sid: Uint8Array;
            commitment: Uint8Array;
            x: Uint8Array;
            static create(properties: dan.tss.DkgRound1.$Shape): dan.tss.DkgRound1 & dan.tss.DkgRound1.$Shape;
            static create(properties?: dan.tss.DkgRound1.$Properties): dan.tss.DkgRound1;
            static encode(m: dan.tss.DkgRound1.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.DkgRound1 & dan.tss.DkgRound1.$Shape;
        }

        namespace DkgRound1 {
            interface $Properties {
                sid?: (Uint8Array|null);
                commitment?: (Uint8Array|null);
                x?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.DkgRound1.$Properties;
        }

        interface IDkgRound2 extends dan.tss.DkgRound2.$Properties {
        }

        class DkgRound2 {
            constructor(p?: dan.tss.DkgRound2.$Properties);
            $unknowns?: Uint8Array[];
            coefficients: Uint8Array[];
            blind: Uint8Array;
            proofs: dan.tss.DlogProof.$Properties[];
            baseOt: Uint8Array;
            seen: dan.tss.SignedBroadcast.$Properties[];
            static create(properties: dan.tss.DkgRound2.$Shape): dan.tss.DkgRound2 & dan.tss.DkgRound2.$Shape;
            static create(properties?: dan.tss.DkgRound2.$Properties): dan.tss.DkgRound2;
            static encode(m: dan.tss.DkgRound2.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.DkgRound2 & dan.tss.DkgRound2.$Shape;
        }

        namespace DkgRound2 {
            interface $Properties {
                coefficients?: (Uint8Array[]|null);
                blind?: (Uint8Array|null);
                proofs?: (dan.tss.DlogProof.$Properties[]|null);
                baseOt?: (Uint8Array|null);
                seen?: (dan.tss.SignedBroadcast.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.DkgRound2.$Properties;
        }

        interface IDkgRound3 extends dan.tss.DkgRound3.$Properties {
        }

        class DkgRound3 {
            constructor(p?: dan.tss.DkgRound3.$Properties);
            $unknowns?: Uint8Array[];
            aggregate: Uint8Array[];
            share: Uint8Array;
            baseOt: Uint8Array;
            pprf: Uint8Array;
            zeroSeed: Uint8Array;
            static create(properties: dan.tss.DkgRound3.$Shape): dan.tss.DkgRound3 & dan.tss.DkgRound3.$Shape;
            static create(properties?: dan.tss.DkgRound3.$Properties): dan.tss.DkgRound3;
            static encode(m: dan.tss.DkgRound3.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.DkgRound3 & dan.tss.DkgRound3.$Shape;
        }

        namespace DkgRound3 {
            interface $Properties {
                aggregate?: (Uint8Array[]|null);
                share?: (Uint8Array|null);
                baseOt?: (Uint8Array|null);
                pprf?: (Uint8Array|null);
                zeroSeed?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.DkgRound3.$Properties;
        }

        interface IDkgRound4 extends dan.tss.DkgRound4.$Properties {
        }

        class DkgRound4 {
            constructor(p?: dan.tss.DkgRound4.$Properties);
            $unknowns?: Uint8Array[];
            publicKey: Uint8Array;
            publicShare: Uint8Array;
            proof?: (dan.tss.DlogProof.$Properties|null);
            zeroSeedTags: Uint8Array[];
            static create(properties: dan.tss.DkgRound4.$Shape): dan.tss.DkgRound4 & dan.tss.DkgRound4.$Shape;
            static create(properties?: dan.tss.DkgRound4.$Properties): dan.tss.DkgRound4;
            static encode(m: dan.tss.DkgRound4.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.DkgRound4 & dan.tss.DkgRound4.$Shape;
        }

        namespace DkgRound4 {
            interface $Properties {
                publicKey?: (Uint8Array|null);
                publicShare?: (Uint8Array|null);
                proof?: (dan.tss.DlogProof.$Properties|null);
                zeroSeedTags?: (Uint8Array[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.DkgRound4.$Properties;
        }

        interface IReshareRound1 extends dan.tss.ReshareRound1.$Properties {
        }

        class ReshareRound1 {
            constructor(p?: dan.tss.ReshareRound1.$Properties);
            $unknowns?: Uint8Array[];
            sid: Uint8Array;
            commitment: Uint8Array;
            x: Uint8Array;
            oldKey: Uint8Array;
            static create(properties: dan.tss.ReshareRound1.$Shape): dan.tss.ReshareRound1 & dan.tss.ReshareRound1.$Shape;
            static create(properties?: dan.tss.ReshareRound1.$Properties): dan.tss.ReshareRound1;
            static encode(m: dan.tss.ReshareRound1.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.ReshareRound1 & dan.tss.ReshareRound1.$Shape;
        }

        namespace ReshareRound1 {
            interface $Properties {
                sid?: (Uint8Array|null);
                commitment?: (Uint8Array|null);
                x?: (Uint8Array|null);
                oldKey?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.ReshareRound1.$Properties;
        }

        interface IReshareRound2 extends dan.tss.ReshareRound2.$Properties {
        }

        class ReshareRound2 {
            constructor(p?: dan.tss.ReshareRound2.$Properties);
            $unknowns?: Uint8Array[];
            seen: dan.tss.SignedBroadcast.$Properties[];
            coefficients: Uint8Array[];
            blind: Uint8Array;
            proofs: dan.tss.DlogProof.$Properties[];
            baseOt: Uint8Array;
            static create(properties: dan.tss.ReshareRound2.$Shape): dan.tss.ReshareRound2 & dan.tss.ReshareRound2.$Shape;
            static create(properties?: dan.tss.ReshareRound2.$Properties): dan.tss.ReshareRound2;
            static encode(m: dan.tss.ReshareRound2.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.ReshareRound2 & dan.tss.ReshareRound2.$Shape;
        }

        namespace ReshareRound2 {
            interface $Properties {
                seen?: (dan.tss.SignedBroadcast.$Properties[]|null);
                coefficients?: (Uint8Array[]|null);
                blind?: (Uint8Array|null);
                proofs?: (dan.tss.DlogProof.$Properties[]|null);
                baseOt?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.ReshareRound2.$Properties;
        }

        interface IReshareRound3 extends dan.tss.ReshareRound3.$Properties {
        }

        class ReshareRound3 {
            constructor(p?: dan.tss.ReshareRound3.$Properties);
            $unknowns?: Uint8Array[];
            aggregate: Uint8Array[];
            share: Uint8Array;
            baseOt: Uint8Array;
            pprf: Uint8Array;
            zeroSeed: Uint8Array;
            static create(properties: dan.tss.ReshareRound3.$Shape): dan.tss.ReshareRound3 & dan.tss.ReshareRound3.$Shape;
            static create(properties?: dan.tss.ReshareRound3.$Properties): dan.tss.ReshareRound3;
            static encode(m: dan.tss.ReshareRound3.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.ReshareRound3 & dan.tss.ReshareRound3.$Shape;
        }

        namespace ReshareRound3 {
            interface $Properties {
                aggregate?: (Uint8Array[]|null);
                share?: (Uint8Array|null);
                baseOt?: (Uint8Array|null);
                pprf?: (Uint8Array|null);
                zeroSeed?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.ReshareRound3.$Properties;
        }

        interface IReshareRound4 extends dan.tss.ReshareRound4.$Properties {
        }

        class ReshareRound4 {
            constructor(p?: dan.tss.ReshareRound4.$Properties);
            $unknowns?: Uint8Array[];
            publicKey: Uint8Array;
            publicShare: Uint8Array;
            proof?: (dan.tss.DlogProof.$Properties|null);
            zeroSeedTags: Uint8Array[];
            static create(properties: dan.tss.ReshareRound4.$Shape): dan.tss.ReshareRound4 & dan.tss.ReshareRound4.$Shape;
            static create(properties?: dan.tss.ReshareRound4.$Properties): dan.tss.ReshareRound4;
            static encode(m: dan.tss.ReshareRound4.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.ReshareRound4 & dan.tss.ReshareRound4.$Shape;
        }

        namespace ReshareRound4 {
            interface $Properties {
                publicKey?: (Uint8Array|null);
                publicShare?: (Uint8Array|null);
                proof?: (dan.tss.DlogProof.$Properties|null);
                zeroSeedTags?: (Uint8Array[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.ReshareRound4.$Properties;
        }

        interface IPresignRound1 extends dan.tss.PresignRound1.$Properties {
        }

        class PresignRound1 {
            constructor(p?: dan.tss.PresignRound1.$Properties);
            $unknowns?: Uint8Array[];
            sid: Uint8Array;
            commitment: Uint8Array;
            rerandomizerCommitment: Uint8Array;
            static create(properties: dan.tss.PresignRound1.$Shape): dan.tss.PresignRound1 & dan.tss.PresignRound1.$Shape;
            static create(properties?: dan.tss.PresignRound1.$Properties): dan.tss.PresignRound1;
            static encode(m: dan.tss.PresignRound1.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.PresignRound1 & dan.tss.PresignRound1.$Shape;
        }

        namespace PresignRound1 {
            interface $Properties {
                sid?: (Uint8Array|null);
                commitment?: (Uint8Array|null);
                rerandomizerCommitment?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.PresignRound1.$Properties;
        }

        interface IPresignRound2 extends dan.tss.PresignRound2.$Properties {
        }

        class PresignRound2 {
            constructor(p?: dan.tss.PresignRound2.$Properties);
            $unknowns?: Uint8Array[];
            sessionHash: Uint8Array;
            rvole: Uint8Array;
            seen: dan.tss.SignedBroadcast.$Properties[];
            static create(properties: dan.tss.PresignRound2.$Shape): dan.tss.PresignRound2 & dan.tss.PresignRound2.$Shape;
            static create(properties?: dan.tss.PresignRound2.$Properties): dan.tss.PresignRound2;
            static encode(m: dan.tss.PresignRound2.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.PresignRound2 & dan.tss.PresignRound2.$Shape;
        }

        namespace PresignRound2 {
            interface $Properties {
                sessionHash?: (Uint8Array|null);
                rvole?: (Uint8Array|null);
                seen?: (dan.tss.SignedBroadcast.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.PresignRound2.$Properties;
        }

        interface IPresignRound3 extends dan.tss.PresignRound3.$Properties {
        }

        class PresignRound3 {
            constructor(p?: dan.tss.PresignRound3.$Properties);
            $unknowns?: Uint8Array[];
            sessionHash: Uint8Array;
            rvole: Uint8Array;
            digest: Uint8Array;
            publicShare: Uint8Array;
            noncePoint: Uint8Array;
            blind: Uint8Array;
            gammaU: Uint8Array;
            gammaV: Uint8Array;
            psi: Uint8Array;
            static create(properties: dan.tss.PresignRound3.$Shape): dan.tss.PresignRound3 & dan.tss.PresignRound3.$Shape;
            static create(properties?: dan.tss.PresignRound3.$Properties): dan.tss.PresignRound3;
            static encode(m: dan.tss.PresignRound3.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.PresignRound3 & dan.tss.PresignRound3.$Shape;
        }

        namespace PresignRound3 {
            interface $Properties {
                sessionHash?: (Uint8Array|null);
                rvole?: (Uint8Array|null);
                digest?: (Uint8Array|null);
                publicShare?: (Uint8Array|null);
                noncePoint?: (Uint8Array|null);
                blind?: (Uint8Array|null);
                gammaU?: (Uint8Array|null);
                gammaV?: (Uint8Array|null);
                psi?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.PresignRound3.$Properties;
        }

        interface IPartialSignature extends dan.tss.PartialSignature.$Properties {
        }

        class PartialSignature {
            constructor(p?: dan.tss.PartialSignature.$Properties);
            $unknowns?: Uint8Array[];
            presignatureId: Uint8Array;
            from: number;
            signers: number[];
            noncePoint: Uint8Array;
            s0: Uint8Array;
            s1: Uint8Array;
            static create(properties: dan.tss.PartialSignature.$Shape): dan.tss.PartialSignature & dan.tss.PartialSignature.$Shape;
            static create(properties?: dan.tss.PartialSignature.$Properties): dan.tss.PartialSignature;
            static encode(m: dan.tss.PartialSignature.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.PartialSignature & dan.tss.PartialSignature.$Shape;
        }

        namespace PartialSignature {
            interface $Properties {
                presignatureId?: (Uint8Array|null);
                from?: (number|null);
                signers?: (number[]|null);
                noncePoint?: (Uint8Array|null);
                s0?: (Uint8Array|null);
                s1?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.PartialSignature.$Properties;
        }

        interface IKeySharePeer extends dan.tss.KeySharePeer.$Properties {
        }

        class KeySharePeer {
            constructor(p?: dan.tss.KeySharePeer.$Properties);
            $unknowns?: Uint8Array[];
            party: number;
            otLeaves: Uint8Array;
            otDelta: Uint8Array;
            otPunctured: Uint8Array;
            zeroSeed: Uint8Array;
            static create(properties: dan.tss.KeySharePeer.$Shape): dan.tss.KeySharePeer & dan.tss.KeySharePeer.$Shape;
            static create(properties?: dan.tss.KeySharePeer.$Properties): dan.tss.KeySharePeer;
            static encode(m: dan.tss.KeySharePeer.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.KeySharePeer & dan.tss.KeySharePeer.$Shape;
        }

        namespace KeySharePeer {
            interface $Properties {
                party?: (number|null);
                otLeaves?: (Uint8Array|null);
                otDelta?: (Uint8Array|null);
                otPunctured?: (Uint8Array|null);
                zeroSeed?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.KeySharePeer.$Properties;
        }

        interface IKeyShareRecord extends dan.tss.KeyShareRecord.$Properties {
        }

        class KeyShareRecord {
            constructor(p?: dan.tss.KeyShareRecord.$Properties);
            $unknowns?: Uint8Array[];
            version: number;
            threshold: number;
            parties: number;
            party: number;
            publicKey: Uint8Array;
            generation: Uint8Array;
            share: Uint8Array;
            xs: Uint8Array[];
            publicShares: Uint8Array[];
            peers: dan.tss.KeySharePeer.$Properties[];
            static create(properties: dan.tss.KeyShareRecord.$Shape): dan.tss.KeyShareRecord & dan.tss.KeyShareRecord.$Shape;
            static create(properties?: dan.tss.KeyShareRecord.$Properties): dan.tss.KeyShareRecord;
            static encode(m: dan.tss.KeyShareRecord.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.KeyShareRecord & dan.tss.KeyShareRecord.$Shape;
        }

        namespace KeyShareRecord {
            interface $Properties {
                version?: (number|null);
                threshold?: (number|null);
                parties?: (number|null);
                party?: (number|null);
                publicKey?: (Uint8Array|null);
                generation?: (Uint8Array|null);
                share?: (Uint8Array|null);
                xs?: (Uint8Array[]|null);
                publicShares?: (Uint8Array[]|null);
                peers?: (dan.tss.KeySharePeer.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.KeyShareRecord.$Properties;
        }

        interface IGenerationRecord extends dan.tss.GenerationRecord.$Properties {
        }

        class GenerationRecord {
            constructor(p?: dan.tss.GenerationRecord.$Properties);
            $unknowns?: Uint8Array[];
            threshold: number;
            publicKey: Uint8Array;
            generation: Uint8Array;
            xs: Uint8Array[];
            publicShares: Uint8Array[];
            static create(properties: dan.tss.GenerationRecord.$Shape): dan.tss.GenerationRecord & dan.tss.GenerationRecord.$Shape;
            static create(properties?: dan.tss.GenerationRecord.$Properties): dan.tss.GenerationRecord;
            static encode(m: dan.tss.GenerationRecord.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.GenerationRecord & dan.tss.GenerationRecord.$Shape;
        }

        namespace GenerationRecord {
            interface $Properties {
                threshold?: (number|null);
                publicKey?: (Uint8Array|null);
                generation?: (Uint8Array|null);
                xs?: (Uint8Array[]|null);
                publicShares?: (Uint8Array[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.GenerationRecord.$Properties;
        }

        interface IPresignatureRecord extends dan.tss.PresignatureRecord.$Properties {
        }

        class PresignatureRecord {
            constructor(p?: dan.tss.PresignatureRecord.$Properties);
            $unknowns?: Uint8Array[];
            version: number;
            id: Uint8Array;
            keyGeneration: Uint8Array;
            publicKey: Uint8Array;
            signers: number[];
            party: number;
            noncePoint: Uint8Array;
            phi: Uint8Array;
            s0: Uint8Array;
            s1: Uint8Array;
            phiPoint: Uint8Array;
            s1Point: Uint8Array;
            bPoint: Uint8Array;
            rerandomizerSeed: Uint8Array;
            rerandomizerCommitments: Uint8Array[];
            static create(properties: dan.tss.PresignatureRecord.$Shape): dan.tss.PresignatureRecord & dan.tss.PresignatureRecord.$Shape;
            static create(properties?: dan.tss.PresignatureRecord.$Properties): dan.tss.PresignatureRecord;
            static encode(m: dan.tss.PresignatureRecord.$Properties, w?: $protobuf.Writer): $protobuf.Writer;
            static decode(r: ($protobuf.Reader|Uint8Array), l?: number): dan.tss.PresignatureRecord & dan.tss.PresignatureRecord.$Shape;
        }

        namespace PresignatureRecord {
            interface $Properties {
                version?: (number|null);
                id?: (Uint8Array|null);
                keyGeneration?: (Uint8Array|null);
                publicKey?: (Uint8Array|null);
                signers?: (number[]|null);
                party?: (number|null);
                noncePoint?: (Uint8Array|null);
                phi?: (Uint8Array|null);
                s0?: (Uint8Array|null);
                s1?: (Uint8Array|null);
                phiPoint?: (Uint8Array|null);
                s1Point?: (Uint8Array|null);
                bPoint?: (Uint8Array|null);
                rerandomizerSeed?: (Uint8Array|null);
                rerandomizerCommitments?: (Uint8Array[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = dan.tss.PresignatureRecord.$Properties;
        }
    }
}
