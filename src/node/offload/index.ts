export { EngineThread, type DkgParties } from './engine-thread.ts';
