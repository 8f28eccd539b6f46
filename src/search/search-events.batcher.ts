import { Inject, Injectable } from '@nestjs/common';
import { RequestContext } from '@mfm/platform/context/request-context';
import type { NewAuditEvent } from '@mfm/contracts/logging.contract';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';

interface Waiting {
  event: NewAuditEvent;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Search events of the modern API, committed in groups: one write transaction at a time takes
 * every event that arrived while the previous one committed, so a burst of searches costs a few
 * commits instead of one each. A search answers once its event is committed (it is never lost,
 * and reaches the log through the outbox), but does not wait for the log's acknowledgement: a
 * search changes nothing, so there is nothing to read back. The classic profile keeps its
 * read-your-writes wait (see the classic search).
 */
@Injectable()
export class SearchEventBatcher {
  private waiting: Waiting[] = [];
  private flushing = false;

  constructor(@Inject(outboxToken('search')) private readonly outbox: Outbox) {}

  record(event: NewAuditEvent): Promise<void> {
    const stamped: NewAuditEvent = {
      ...event,
      occurredAt: event.occurredAt ?? new Date().toISOString(),
      requestId: event.requestId ?? RequestContext.requestId(),
    };
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ event: stamped, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    // Let the searches answering in this turn of the event loop join the group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const group = this.waiting;
      this.waiting = [];
      try {
        await this.outbox.write(
          async (_manager, out) => {
            for (const { event } of group) await out.audit(event);
          },
          { waitMs: 0 },
        );
        for (const waiting of group) waiting.resolve();
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
    this.flushing = false;
  }
}
