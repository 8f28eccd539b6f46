import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageResponse } from '@mfm/platform/http/page-response';
import { AuditEvent } from '../entities/audit-event.entity';

export class AuditEventResponse {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ example: 'login' })
  type!: string;

  @ApiPropertyOptional({
    example: { userId: '…', username: 'customer' },
    nullable: true,
    type: Object,
  })
  actor!: { userId: string; username: string } | null;

  @ApiProperty({ example: { kind: 'user', id: '…', name: 'customer' }, type: Object })
  subject!: { kind: string; id: string; name: string | null };

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  requestId!: string | null;

  @ApiPropertyOptional({ nullable: true, type: Object })
  payload!: Record<string, unknown> | null;

  static from(event: AuditEvent): AuditEventResponse {
    return {
      eventId: event.eventId,
      type: event.type,
      actor: event.actorUserId
        ? { userId: event.actorUserId, username: event.actorUsername ?? '' }
        : null,
      subject: { kind: event.subjectKind, id: event.subjectId, name: event.subjectName },
      occurredAt: new Date(event.occurredAt).toISOString(),
      requestId: event.requestId,
      payload: event.payload,
    };
  }
}

export class AuditEventPageResponse extends PageResponse(AuditEventResponse) {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Send it as `cursor` with `page` + 1 (same filters, order and limit) for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
