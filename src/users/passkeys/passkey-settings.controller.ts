import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser, WithoutEmployeeMfa } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { RecentAuth, RecentCaller } from '../step-up/recent';
import { PasskeyOptionsResponse, PasskeyRegistrationDto, PasskeyResponse } from './passkey.dto';
import { PasskeysService } from './passkeys.service';

/** The account's passkeys: list, add and remove them (adding and removing after a step-up). */
@ApiTags('account security')
@WithoutEmployeeMfa()
@Controller('api/users/me')
export class PasskeySettingsController {
  constructor(private readonly passkeys: PasskeysService) {}

  @Get('passkeys')
  @Auth()
  @ApiOperation({ operationId: 'listPasskeys', summary: 'Your passkeys' })
  @ApiOkResponse({ type: [PasskeyResponse] })
  async listPasskeys(@CurrentUser() caller: VerifiedUser): Promise<PasskeyResponse[]> {
    return (await this.passkeys.list(caller.userId)).map((p) => PasskeyResponse.from(p));
  }

  @Post('passkeys/options')
  @RecentAuth()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'passkeyRegistrationOptions',
    summary: 'Start adding a passkey: WebAuthn creation options',
  })
  @ApiOkResponse({ type: PasskeyOptionsResponse })
  async registrationOptions(@CurrentUser() caller: VerifiedUser): Promise<PasskeyOptionsResponse> {
    const { challengeId, options } = await this.passkeys.registrationOptions(caller.userId);
    return { challengeId, options: options as unknown as Record<string, unknown> };
  }

  @Post('passkeys')
  @RecentAuth()
  @ApiOperation({
    operationId: 'addPasskey',
    summary: 'Add a passkey: the credential of `navigator.credentials.create()`',
  })
  @ApiCreatedResponse({ type: PasskeyResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.PASSKEY_CHALLENGE_INVALID,
    UsersErrors.PASSKEY_REJECTED,
    UsersErrors.PASSKEY_EXISTS,
    UsersErrors.TOO_MANY_PASSKEYS,
  )
  async addPasskey(
    @RecentCaller() caller: RecentCaller,
    @Body() body: PasskeyRegistrationDto,
  ): Promise<PasskeyResponse> {
    const passkey = await this.passkeys.register(
      caller.userId,
      body.challengeId,
      body.credential as unknown as RegistrationResponseJSON,
      body.name,
      caller.sessionId,
    );
    return PasskeyResponse.from(passkey);
  }

  @Delete('passkeys/:passkeyId')
  @RecentAuth()
  @HttpCode(204)
  @ApiOperation({ operationId: 'removePasskey', summary: 'Remove one of your passkeys' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(PlatformErrors.PASSKEY_ID_INVALID, UsersErrors.PASSKEY_NOT_FOUND)
  async removePasskey(
    @CurrentUser() caller: VerifiedUser,
    @Param('passkeyId') passkeyId: string,
  ): Promise<void> {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(passkeyId))
      throw PlatformErrors.PASSKEY_ID_INVALID.error({
        fields: [{ field: 'passkeyId', messages: ['must be base64url'] }],
      });
    await this.passkeys.remove(caller.userId, passkeyId);
  }
}
