import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { PlatformErrors } from '../errors/error-codes';
import { ApiErrors } from '../http/api-errors.decorator';
import { BearerAuthGuard, OptionalBearerAuthGuard, RolesGuard } from './auth.guards';
import { REQUIRED_ROLES, WITHOUT_EMPLOYEE_MFA } from './required-roles';
import type { Role, VerifiedUser } from './verified-user';

/**
 * States who may call a route: any signed-in user (`@Auth()`), or only the given roles.
 * The OpenAPI document records it as `x-access` and a bearer requirement.
 */
export function Auth(...roles: Role[]): MethodDecorator & ClassDecorator {
  const decorators = [
    SetMetadata(REQUIRED_ROLES, roles),
    UseGuards(BearerAuthGuard, RolesGuard),
    ApiBearerAuth(),
    ApiExtension('x-access', roles.length ? roles.join('|') : 'authenticated'),
    ApiErrors(
      PlatformErrors.UNAUTHENTICATED,
      PlatformErrors.INVALID_TOKEN,
      PlatformErrors.TOKEN_REVOKED,
      PlatformErrors.ROLE_CHANGED,
      ...(roles.length ? [PlatformErrors.FORBIDDEN] : []),
      // An employee without a second factor, when REQUIRE_EMPLOYEE_MFA is on.
      PlatformErrors.MFA_REQUIRED,
    ),
  ];
  return applyDecorators(...decorators);
}

/**
 * An employee may call this route before signing in with a second factor even when
 * REQUIRE_EMPLOYEE_MFA is on (their profile, setting up a factor, signing out). Every other route
 * answers such an employee 403 MFA_REQUIRED.
 */
export function WithoutEmployeeMfa(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(WITHOUT_EMPLOYEE_MFA, true));
}

/** States that a route is open to anyone, on purpose. */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiExtension('x-access', 'public'));
}

/**
 * Open to anyone; a caller who sends a token is identified (and an invalid token is refused). A
 * token is held to the same rules as on `@Auth()` routes: with REQUIRE_EMPLOYEE_MFA an employee's
 * token without a second factor is refused (403 MFA_REQUIRED), not taken as an employee's view.
 */
export function OptionalAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(OptionalBearerAuthGuard, RolesGuard),
    ApiBearerAuth(),
    ApiSecurity({}), // an empty requirement: "or no token at all"
    ApiExtension('x-access', 'public'),
    // Only a token that was sent and is invalid, expired or revoked is refused.
    ApiErrors(
      PlatformErrors.INVALID_TOKEN,
      PlatformErrors.TOKEN_REVOKED,
      // An employee's token without a second factor, when REQUIRE_EMPLOYEE_MFA is on.
      PlatformErrors.MFA_REQUIRED,
    ),
  );
}

/** The caller the bearer guard verified on this request (undefined on an anonymous OptionalAuth route). */
export const verifiedCaller = (context: ExecutionContext): VerifiedUser =>
  context.switchToHttp().getRequest<{ user: VerifiedUser }>().user;

/** The authenticated caller, as the users module verified them (undefined on an anonymous OptionalAuth route). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  verifiedCaller(context),
);
