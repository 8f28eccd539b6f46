import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Omittable } from '@mfm/platform/validation/omittable';
import { Trim } from '@mfm/platform/validation/transforms';
import { PageResponse } from '@mfm/platform/http/page-response';
import type { StoreFeedback } from './store-feedback.entity';
import { FEEDBACK_TOPICS, type FeedbackTopic } from './store-feedback.service';

export class FeedbackDto {
  /** @example "Ada Lovelace" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  /** Where the store may answer. @example "ada@example.com" */
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiPropertyOptional({ enum: FEEDBACK_TOPICS, default: 'general' })
  @Omittable()
  @IsIn(FEEDBACK_TOPICS)
  topic?: FeedbackTopic;

  /** @example "The sourdough was lovely; could you stock rye too?" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  message!: string;
}

export class FeedbackResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ enum: FEEDBACK_TOPICS })
  topic!: string;

  @ApiProperty({ example: 'The sourdough was lovely; could you stock rye too?' })
  message!: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The signed-in writer',
  })
  userId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static from(row: StoreFeedback): FeedbackResponse {
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      topic: row.topic,
      message: row.message,
      userId: row.userId,
      createdAt: new Date(row.createdAt).toISOString(),
    };
  }
}

export class FeedbackPageResponse extends PageResponse(FeedbackResponse, 3) {}
