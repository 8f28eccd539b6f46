import type { AppConfig } from '@mfm/platform/config/app-config';
import { StepUpService } from './step-up.service';

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
