import { MODULE_NAMES, ModuleName } from './module-names';

/**
 * Which modules this process hosts. Injected, so that modules ask a token instead of
 * reading the environment (the topology decision lives in src/bootstrap.ts alone).
 */
export class ProcessContext {
  readonly hosted: ReadonlySet<ModuleName>;

  constructor(hosted: readonly ModuleName[]) {
    this.hosted = new Set(hosted);
  }

  isLocal(module: ModuleName): boolean {
    return this.hosted.has(module);
  }

  /** True when every module lives in this process: nobody needs to reach us over TCP. */
  get isSingleProcess(): boolean {
    return MODULE_NAMES.every((name) => this.hosted.has(name));
  }

  get label(): string {
    return this.isSingleProcess ? 'all' : [...this.hosted].join(',');
  }
}
