import { dataKeyRing } from '../crypto/data-keys';
import { ModuleName } from '../topology/module-names';
import { AppConfig } from './app-config';
import { ConfigError } from './load-config';

/** Modules that send mail: their processes need a mail server in production. */
const MAILING_MODULES: readonly ModuleName[] = ['users', 'orders'];

/**
 * What a process needs for the modules it hosts, checked before anything starts (a ConfigError:
 * exit 2 with every problem listed). In production: a mail server for the modules that send mail,
 * and the data keys for users, which keeps personal data encrypted. Outside production the users
 * module's development keys are created in the data folder here, once.
 */
export function checkHostedRequirements(hosted: readonly ModuleName[], config: AppConfig): void {
  const problems: string[] = [];
  const mailing = hosted.filter((module) => MAILING_MODULES.includes(module));
  if (config.nodeEnv === 'production' && !config.mail.smtpUrl && mailing.length > 0)
    problems.push(
      `SMTP_URL is required when NODE_ENV=production: ${mailing.join(' and ')} send mail (smtp://user:password@host:587)`,
    );
  if (hosted.includes('users')) {
    try {
      dataKeyRing(config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
