import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { QueryBoolean } from '@mfm/platform/validation/transforms';

import { ROLES, type Role } from '@mfm/contracts/users.contract';

import { PageQuery } from '@mfm/platform/http/page.query';

export class ListUsersQuery extends PageQuery {
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  enabled?: boolean;
}
