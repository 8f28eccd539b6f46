import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsInt, IsString, Min, ValidateBy, ValidationArguments } from 'class-validator';
import {
  MAX_SYNONYM_TERMS,
  MAX_SYNONYM_TERM_LENGTH,
  MIN_SYNONYM_TERMS,
  groupProblems,
} from '../synonym-terms';

const strings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * Two to twenty words, each one word of letters or digits once folded, none twice; the message
 * names the word at fault. What is not an array of strings is left to @IsArray and @IsString.
 */
function SynonymTerms(): PropertyDecorator {
  return ValidateBy({
    name: 'synonymTerms',
    validator: {
      validate: (value: unknown) => !strings(value) || groupProblems(value).length === 0,
      defaultMessage: (args?: ValidationArguments) =>
        strings(args?.value) ? groupProblems(args.value).join('; ') : 'terms are not valid',
    },
  });
}

export class CreateSynonymGroupDto {
  @ApiProperty({
    type: [String],
    minItems: MIN_SYNONYM_TERMS,
    maxItems: MAX_SYNONYM_TERMS,
    example: ['crisps', 'chips'],
    description:
      `Words a search treats as the same: each one word of letters or digits, at most ${MAX_SYNONYM_TERM_LENGTH} characters, ` +
      'stored in lower case without accents; none twice, and none already in another group',
  })
  @IsArray()
  @IsString({ each: true })
  @SynonymTerms()
  terms!: string[];
}

export class UpdateSynonymGroupDto extends CreateSynonymGroupDto {
  /** The version you last saw; if the group changed since, 409 VERSION_CONFLICT. @example 1 */
  @IsInt()
  @Min(1)
  version!: number;
}
