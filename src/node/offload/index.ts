export { EngineThread, type DkgParties, type PresignParties } from './engine-thread.ts';
