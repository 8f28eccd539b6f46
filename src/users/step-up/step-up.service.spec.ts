import type { AppConfig } from '@mfm/platform/config/app-config';
import { StepUpService } from './step-up.service';

/** The service with a ten-minute window; what it checks here needs nothing else. */
const service = new StepUpService(
  { accounts: { stepUpWindowSeconds: 600 } } as AppConfig,
  undefined as never,
  undefined as never,
  undefined as never,
  undefined as never,
  undefined as never,
);
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
  const inSession = (reauthAt?: number) => ({
    ...caller(reauthAt),
    sessionId: 'session-of-the-token',
  });
  const refusalOf = (answer: () => string) => {
    try {
      answer();
      return undefined;
    } catch (error) {
      return (error as { getResponse(): { code: string } }).getResponse().code;
    }
  };

  it("answers the session of the caller's own token when the re-authentication is recent", () => {
    expect(service.recentSession(inSession(now() - 10))).toBe('session-of-the-token');
  });

  it('refuses when it is not, and for a token of no session (the classic API)', () => {
    expect(refusalOf(() => service.recentSession(inSession(now() - 700)))).toBe(
      'REAUTHENTICATION_REQUIRED',
    );
    expect(refusalOf(() => service.recentSession(caller(now() - 10)))).toBe(
      'REAUTHENTICATION_REQUIRED',
    );
  });
});
