import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@mfm/platform/auth/auth.decorators';
import { PublicJwk, SigningKeysService } from './signing-keys.service';

@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get('jwks.json')
  @Public()
  @ApiOperation({
    operationId: 'getJwks',
    summary: 'Public keys that verify access tokens (match on the token header `kid`)',
  })
  @ApiOkResponse({
    schema: {
      example: { keys: [{ kty: 'RSA', kid: '…', alg: 'RS256', use: 'sig', n: '…', e: 'AQAB' }] },
    },
  })
  jwks(): { keys: PublicJwk[] } {
    return this.keys.jwks();
  }
}
