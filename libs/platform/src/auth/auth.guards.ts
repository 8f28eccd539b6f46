import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PlatformErrors } from '../errors/error-codes';
import { REQUIRED_ROLES, WITHOUT_EMPLOYEE_MFA } from './required-roles';
import type { Role, VerifiedUser } from './verified-user';

@Injectable()
export class BearerAuthGuard extends AuthGuard('bearer') {
  override handleRequest<TUser = VerifiedUser>(error: unknown, user: TUser | false): TUser {
    // Passport hands over what the strategy threw: our AppErrors (401, 503 …), kept as they are.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (error) throw error;
    if (!user) throw PlatformErrors.UNAUTHENTICATED.error();
    return user;
  }
}

/** Lets anonymous callers through; a token, when sent, must still be valid (401 otherwise). */
@Injectable()
export class OptionalBearerAuthGuard extends AuthGuard('bearer') {
  override handleRequest<TUser = VerifiedUser>(error: unknown, user: TUser | false): TUser {
    // Passport hands over what the strategy threw: our AppErrors (401, 503 …), kept as they are.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (error) throw error;
    return (user || undefined) as TUser;
  }
}

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    const user = context.switchToHttp().getRequest<{ user?: VerifiedUser }>().user;
    // With REQUIRE_EMPLOYEE_MFA an employee's token works only if it was issued after a second
    // factor, except on the routes that set one up.
    if (
      user?.role === 'employee' &&
      this.config.accounts.requireEmployeeMfa &&
      !user.mfa &&
      !this.reflector.getAllAndOverride<boolean | undefined>(WITHOUT_EMPLOYEE_MFA, [
        context.getHandler(),
        context.getClass(),
      ])
    )
      throw PlatformErrors.MFA_REQUIRED.error();
    if (!roles || roles.length === 0) return true;
    if (user && roles.includes(user.role)) return true;
    throw PlatformErrors.FORBIDDEN.error({ roles });
  }
}
