import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { SearchErrors } from '@mfm/contracts/errors.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { uuidParam } from '@mfm/platform/validation/uuid-param.pipe';
import { CreateSynonymGroupDto, UpdateSynonymGroupDto } from './dto/synonym-group.dto';
import { SynonymGroupResponse } from './dto/synonym-group.response';
import { SynonymsService } from './synonyms.service';

const actorOf = (user: VerifiedUser) => ({ userId: user.userId, username: user.username });

/** Words the search treats as the same: employees list, add, change and remove the groups. */
@ApiTags('search')
@Controller('api/search/synonyms')
export class SynonymsController {
  constructor(private readonly synonyms: SynonymsService) {}

  @Get()
  @Auth('employee')
  @ApiOperation({
    operationId: 'listSynonymGroups',
    summary: 'The groups of words the search treats as the same, by first word',
  })
  @ApiOkResponse({ type: [SynonymGroupResponse] })
  list(): SynonymGroupResponse[] {
    return this.synonyms.list().map((group) => SynonymGroupResponse.from(group));
  }

  @Post()
  @Auth('employee')
  @ApiOperation({
    operationId: 'createSynonymGroup',
    summary: 'Add a group of words the search treats as the same',
    description:
      'A search for any word of the group also finds products named with the others, from the next search on. Audited.',
  })
  @ApiCreatedResponse({ type: SynonymGroupResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, SearchErrors.SYNONYM_TERM_TAKEN)
  async create(
    @Body() body: CreateSynonymGroupDto,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<SynonymGroupResponse> {
    return SynonymGroupResponse.from(await this.synonyms.create(body.terms, actorOf(caller)));
  }

  @Put(':id')
  @Auth('employee')
  @ApiOperation({
    operationId: 'updateSynonymGroup',
    summary: 'Replace the words of a group',
    description: 'Send the version you last saw: a group changed since is refused. Audited.',
  })
  @ApiOkResponse({ type: SynonymGroupResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    SearchErrors.SYNONYM_GROUP_NOT_FOUND,
    SearchErrors.SYNONYM_VERSION_CONFLICT,
    SearchErrors.SYNONYM_TERM_TAKEN,
  )
  async update(
    @Param('id', uuidParam()) id: string,
    @Body() body: UpdateSynonymGroupDto,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<SynonymGroupResponse> {
    return SynonymGroupResponse.from(
      await this.synonyms.update(id, body.terms, body.version, actorOf(caller)),
    );
  }

  @Delete(':id')
  @Auth('employee')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteSynonymGroup',
    summary: 'Remove a group',
    description: 'Audited.',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, SearchErrors.SYNONYM_GROUP_NOT_FOUND)
  async remove(
    @Param('id', uuidParam()) id: string,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<void> {
    await this.synonyms.remove(id, actorOf(caller));
  }
}
