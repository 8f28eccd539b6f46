import { ModuleName } from '../topology/module-names';

/** The reply of `<module>.ping`, answered by every module (used by /ready). */
export interface PingReply {
  module: ModuleName;
  ok: true;
}

export const pingPattern = (module: ModuleName): string => `${module}.ping`;
