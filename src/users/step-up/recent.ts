import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, verifiedCaller } from '@mfm/platform/auth/auth.decorators';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { StepUpService } from './step-up.service';

/**
 * Runs after the bearer guard, so a stale token is refused before its body is read or a rate
 * limit is spent on it.
 */
@Injectable()
export class RecentStepUpGuard implements CanActivate {
  constructor(private readonly stepUp: StepUpService) {}

  canActivate(context: ExecutionContext): boolean {
    this.stepUp.recentSession(verifiedCaller(context));
    return true;
  }
}

/**
 * A route that adds or removes a way to sign in, or moves the account: a signed-in caller whose
 * token records a re-authentication within STEP_UP_WINDOW_SECONDS (else 403
 * REAUTHENTICATION_REQUIRED, with where to re-authenticate).
 */
export function RecentAuth(): MethodDecorator {
  return applyDecorators(
    Auth(),
    UseGuards(RecentStepUpGuard),
    ApiErrors(UsersErrors.REAUTHENTICATION_REQUIRED),
  );
}

/** A `@RecentAuth()` caller, with the session of their token. */
export type RecentCaller = VerifiedUser & { sessionId: string };

/**
 * The caller of a `@RecentAuth()` route, whose token's session is where a way to sign in added now
 * is tied.
 */
export const RecentCaller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RecentCaller => {
    const caller = verifiedCaller(context);
    // RecentStepUpGuard has refused a token without one.
    if (!caller.sessionId) throw new Error('RecentCaller outside a @RecentAuth() route');
    return caller as RecentCaller;
  },
);
