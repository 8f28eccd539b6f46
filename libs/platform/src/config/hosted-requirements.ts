import { ModuleName } from '../topology/module-names';
import { AppConfig } from './app-config';
import { ConfigError } from './load-config';

/** What the hosted modules ask of a process; the application says it per module. */
export interface HostedNeeds {
  /** Modules that send mail: their processes need a mail server in production. */
  mailing: readonly ModuleName[];
  /** A module's own check of the configuration, run when the process hosts it (ConfigError: exit 2). */
  checks: Partial<Record<ModuleName, (config: AppConfig) => void>>;
}

/**
 * What a process needs for the modules it hosts, checked before anything starts (a ConfigError:
 * exit 2 with every problem listed): in production a mail server for the modules that send mail,
 * then each hosted module's own check.
 */
export function checkHostedRequirements(
  hosted: readonly ModuleName[],
  config: AppConfig,
  needs: HostedNeeds,
): void {
  const problems: string[] = [];
  const mailing = hosted.filter((module) => needs.mailing.includes(module));
  if (config.nodeEnv === 'production' && !config.mail.smtpUrl && mailing.length > 0)
    problems.push(
      `SMTP_URL is required when NODE_ENV=production: ${mailing.join(' and ')} send mail (smtp://user:password@host:587)`,
    );
  for (const module of hosted) {
    try {
      needs.checks[module]?.(config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
