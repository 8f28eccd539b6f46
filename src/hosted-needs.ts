import { dataKeyRing } from '@mfm/platform/crypto/data-keys';
import type { HostedNeeds } from '@mfm/platform/config/hosted-requirements';

/**
 * What each module asks of the process that hosts it, checked before anything starts. Users and
 * orders send mail. Users keeps personal data encrypted, so it needs the data keys (outside
 * production its development keys are created in the data folder here, once).
 */
export const HOSTED_NEEDS: HostedNeeds = {
  mailing: ['users', 'orders'],
  checks: {
    users: (config) => void dataKeyRing(config),
  },
};
