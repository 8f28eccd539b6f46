import { rateLimit } from '@mfm/platform/config/rate-limit-rules';

export const LoggingLimits = {
  /** A backup reads every database and writes a copy of it; a download sends one whole. */
  backups: rateLimit(
    'backups',
    'account',
    [30, 3600],
    'backups started and downloaded per employee account',
  ),
};
