import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '@mfm/platform/config/app-config';
import { StepUpService } from './step-up.service';

/** The service with a ten-minute window; only the access tokens are given, where a test needs them. */
const stepUpWith = (accessTokens?: unknown) =>
  new StepUpService(
    { accounts: { stepUpWindowSeconds: 600 } } as AppConfig,
    undefined as never,
    undefined as never,
    undefined as never,
    undefined as never,
    accessTokens as never,
  );
const service = stepUpWith();
const caller = (reauthAt?: number) => ({
  userId: '6f1c2a52-0000-4000-8000-000000000001',
  username: 'ada',
  role: 'customer' as const,
  ...(reauthAt !== undefined && { reauthAt }),
});
const now = () => Math.floor(Date.now() / 1000);
const refusal = (reauthAt?: number) => {
  try {
    service.assertRecent(caller(reauthAt));
    return undefined;
  } catch (error) {
    return (error as { getResponse(): { code: string } }).getResponse().code;
  }
};

describe('StepUpService.assertRecent', () => {
  it('accepts a re-authentication within the window', () => {
    expect(refusal(now() - 10)).toBeUndefined();
    expect(refusal(now() - 590)).toBeUndefined();
  });

  it('refuses a token without one, one older than the window, and one from the future', () => {
    expect(refusal()).toBe('REAUTHENTICATION_REQUIRED');
    expect(refusal(now() - 700)).toBe('REAUTHENTICATION_REQUIRED');
    expect(refusal(now() + 3600)).toBe('REAUTHENTICATION_REQUIRED');
  });
});

describe('StepUpService.recentSession', () => {
  const verified: string[] = [];
  const withTokens = stepUpWith({
    verify: (token: string) => {
      verified.push(token);
      return { sid: 'session-of-the-token' };
    },
  });
  const request = { headers: { authorization: 'Bearer the.access.token' } } as FastifyRequest;

  it("answers the session of the caller's own token when the re-authentication is recent", () => {
    expect(withTokens.recentSession(caller(now() - 10), request)).toBe('session-of-the-token');
    expect(verified).toEqual(['the.access.token']);
  });

  it('refuses before reading the token when it is not', () => {
    verified.length = 0;
    let code: string | undefined;
    try {
      withTokens.recentSession(caller(now() - 700), request);
    } catch (error) {
      code = (error as { getResponse(): { code: string } }).getResponse().code;
    }
    expect(code).toBe('REAUTHENTICATION_REQUIRED');
    expect(verified).toEqual([]);
  });
});
