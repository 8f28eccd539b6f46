import { ModuleName } from './module-names';

/** Who calls whom, as the application declares it: /ready of a process checks these peers. */
export type ModulePeers = Readonly<Record<ModuleName, readonly ModuleName[]>>;

/** The injection token of the application's ModulePeers (PlatformModule provides it). */
export const MODULE_PEERS_TOKEN = 'MODULE_PEERS';
