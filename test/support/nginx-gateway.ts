import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LaunchedProcess, answersHealth } from './launcher';

/** Debian's nginx, which .ci/run installs; undefined when this machine has none. */
export const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find(
  existsSync,
);

/** The repository's gateway, as the nginx image of docker-compose.yml serves it. */
export const GATEWAY_TEMPLATE = resolve(__dirname, '../../docker/gateway/default.conf.template');

/** nginx image templating: substitutes ${VAR} for the variables the filter lets through. */
export function renderTemplate(template: string, env: Record<string, string>): string {
  const filter = env.NGINX_ENVSUBST_FILTER ? new RegExp(env.NGINX_ENVSUBST_FILTER) : /.*/;
  return template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    filter.test(name) && env[name] !== undefined ? env[name] : whole,
  );
}

export interface GatewayOptions {
  /** Folder for its configuration, pid, logs and temporary files (created here). */
  dir: string;
  /** What the nginx image renders the template with: GATEWAY_PORT, the upstreams, the filter. */
  env: Record<string, string>;
  /** Upstream groups the template's upstream variables may name: group → host:port of each server. */
  upstreams?: Record<string, string[]>;
}

/**
 * Writes the gateway's configuration into `dir`: the template rendered as the nginx image renders
 * it, inside a main configuration that keeps every file nginx writes in `dir`, so it runs
 * unprivileged and leaves nothing behind. Returns the main configuration's path.
 */
export function writeGatewayConfig({ dir, env, upstreams = {} }: GatewayOptions): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'default.conf'),
    renderTemplate(readFileSync(GATEWAY_TEMPLATE, 'utf8'), env),
  );
  const groups = Object.entries(upstreams).flatMap(([name, servers]) => [
    `upstream ${name} {`,
    // A server that failed is tried again on the next request: a restarted replica serves at once.
    ...servers.map((server) => `  server ${server} max_fails=0;`),
    '}',
  ]);
  const config = join(dir, 'nginx.conf');
  writeFileSync(
    config,
    [
      process.getuid?.() === 0 ? 'user root;' : '',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
        (t) => `  ${t}_temp_path ${dir}/${t};`,
      ),
      ...groups.map((line) => `  ${line}`),
      `  include ${dir}/default.conf;`,
      '}',
    ].join('\n'),
  );
  return config;
}

/** The repository's gateway in front of local processes, on GATEWAY_PORT of `env`. */
export class NginxGateway {
  private constructor(
    readonly url: string,
    private readonly nginx: LaunchedProcess,
  ) {}

  static async start(options: GatewayOptions): Promise<NginxGateway> {
    if (!NGINX) throw new Error('nginx is missing (apt-get install nginx)');
    const config = writeGatewayConfig(options);
    const port = Number(options.env.GATEWAY_PORT);
    const nginx = await LaunchedProcess.start({
      label: 'nginx',
      command: NGINX,
      args: ['-p', options.dir, '-c', config, '-g', 'daemon off;'],
      env: process.env,
      ready: () => answersHealth(port, '/gateway/health'),
      timeoutMs: 20_000,
    });
    return new NginxGateway(`http://127.0.0.1:${port}`, nginx);
  }

  async close(): Promise<void> {
    await this.nginx.stop();
  }
}
