import { Logger } from '@nestjs/common';
import type { ErrorBody } from '../errors/error-body';
import { PlatformErrors } from '../errors/error-codes';
import { Metrics } from '../metrics/metrics';
import { ModuleName, isModuleName } from '../topology/module-names';

/** The modules that may send each pattern. A pattern missing from it may be sent by none. */
export type CallerTable = Readonly<Record<string, readonly ModuleName[]>>;

/**
 * Who may send which message pattern, applied by both transports before a handler runs. The
 * caller is the module the transport vouches for: the module named in the client certificate the
 * TLS session verified, or the module whose client made the call in this process; never anything
 * the message says about itself.
 */
export class CallerPolicy {
  private readonly logger = new Logger('BusCallers');
  private readonly callers: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(
    table: CallerTable,
    private readonly metrics?: Metrics,
  ) {
    this.callers = new Map(
      Object.entries(table).map(([pattern, modules]) => [pattern, new Set(modules)]),
    );
  }

  allows(pattern: string, caller: string | undefined): boolean {
    if (caller === undefined || !isModuleName(caller)) return false;
    return this.callers.get(pattern)?.has(caller) ?? false;
  }

  /**
   * Nothing when `caller` may send `pattern`; otherwise the answer to send back, after logging the
   * refusal and counting it. Only patterns this process handles come here, so the labels stay few.
   */
  refusal(pattern: string, caller: string | undefined): ErrorBody | undefined {
    if (this.allows(pattern, caller)) return undefined;
    const who = caller && isModuleName(caller) ? caller : 'unknown';
    this.metrics?.rpcForbiddenCalls.inc({ pattern, caller: who });
    this.logger.warn({
      msg: `refused ${pattern} from ${caller ?? 'a caller without a module name'}: not one of its callers`,
      pattern,
      callerModule: caller ?? null,
    });
    return PlatformErrors.FORBIDDEN_CALLER.error(
      { caller: who, pattern },
      { caller: who, pattern },
    ).getResponse() as ErrorBody;
  }
}
