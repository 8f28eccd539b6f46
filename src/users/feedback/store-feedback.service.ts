import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import type { Outbox } from '@mfm/contracts/outbox';
import { outboxToken } from '@mfm/platform/outbox/outbox.provider';
import { StoreFeedback } from './store-feedback.entity';

export const FEEDBACK_TOPICS = ['general', 'products', 'delivery', 'website', 'other'] as const;
export type FeedbackTopic = (typeof FEEDBACK_TOPICS)[number];

export interface FeedbackInput {
  name: string;
  email: string;
  topic?: FeedbackTopic;
  message: string;
}

/**
 * The store's contact form: anyone may write (signed in or not, limited per address), employees
 * read it, and FEEDBACK_EMAIL, when set, gets each message by mail. Who wrote it stays sealed at rest.
 */
@Injectable()
export class StoreFeedbackService {
  constructor(
    @InjectRepository(StoreFeedback, 'users') private readonly feedback: Repository<StoreFeedback>,
    @Inject(outboxToken('users')) private readonly outbox: Outbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  submit(input: FeedbackInput, caller: VerifiedUser | undefined): Promise<StoreFeedback> {
    return this.outbox.write(async (manager, out) => {
      const row = manager.create(StoreFeedback, {
        id: randomUUID(),
        userId: caller?.userId ?? null,
        name: input.name.trim(),
        email: input.email.trim(),
        topic: input.topic ?? 'general',
        message: input.message.trim(),
      });
      const saved = await manager.save(row);
      await out.audit({
        type: 'feedback_received',
        actor: caller ? { userId: caller.userId, username: caller.username } : undefined,
        subject: { kind: 'feedback', id: saved.id, name: saved.topic },
        payload: { topic: saved.topic, signedIn: Boolean(caller) },
      });
      const inbox = this.config.mail.feedbackEmail;
      if (inbox) {
        await out.mail(
          { address: inbox, name: 'Store feedback' },
          {
            template: 'store_feedback',
            data: {
              fromName: saved.name,
              fromEmail: saved.email,
              message: saved.message,
              ...(caller && { signedInAs: caller.username }),
            },
          },
        );
      }
      return saved;
    });
  }

  async list(page: number, limit: number): Promise<{ items: StoreFeedback[]; total: number }> {
    const [items, total] = await this.feedback.findAndCount({
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    return { items, total };
  }
}
