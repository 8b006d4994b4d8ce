// Public API of the threshold-ECDSA engine (pure: no I/O, no timers, no global state).
export { TssError, type TssErrorCode } from './errors.ts';
export type { OutgoingMessage, PartyMachine, Step } from './protocols/machine.ts';
export { DkgParty, MAX_PARTIES, type DkgParams, type RefreshParams } from './protocols/dkg.ts';
export { PresignParty, type PresignParams } from './protocols/presign.ts';
export { ReshareParty, encodeGeneration, decodeGeneration, type GenerationPublic, type ReshareMember, type ReshareOutput, type ReshareParams } from './protocols/reshare.ts';
export { Presignature, type DerivedUse } from './protocols/presignature.ts';
export { type BroadcastAuth, type SignedBroadcast, broadcastStatement, verifyEquivocationProof } from './protocols/echo.ts';
export { combineSignature, faultyPartials, type CombineParams, type ExpectedPresignature, type Signature } from './protocols/combine.ts';
export { checkPublicValues, type PresignPublicValues } from './protocols/public-values.ts';
export { deriveTweak, derivedPublicKey, type TweakInput } from './protocols/derive.ts';
export { rerandomizeNonce, rerandomizePublicValues, rerandomizerDelta, type PresignatureUse, type Rerandomization, type Rerandomized } from './protocols/rerandomize.ts';
export { type KeyShare, encodeKeyShare, decodeKeyShare } from './keyshare.ts';
export { LocalKeyring, runParties, type RunOptions, type RunResult, type Delivery } from './simulate.ts';
