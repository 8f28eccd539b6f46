import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '..', '..');

export type Env = Record<string, string>;

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  profiles?: string[];
  restart?: string;
  /** A list of names, or names with settings such as a fixed `ipv4_address`. */
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  secrets?: Array<{ source: string; target: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  networks: Record<
    string,
    { driver?: string; ipam?: { config?: Array<{ subnet?: string; ip_range?: string }> } }
  >;
  volumes: Record<string, unknown>;
  secrets?: Record<string, { file: string }>;
}

/**
 * Compose's variable interpolation (compose-spec "Interpolation"): $VAR, ${VAR}, ${VAR:-d},
 * ${VAR-d}, ${VAR:+r}, ${VAR+r}, ${VAR:?e}, ${VAR?e}, nested, and $$ for a literal dollar.
 */
export function interpolate(text: string, vars: Env): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] === '{') {
      // Find the matching brace (nested expressions allowed).
      let depth = 1;
      let j = i + 2;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
      }
      if (depth !== 0) throw new Error(`Unclosed interpolation in ${text}`);
      out += expand(text.slice(i + 2, j - 1), vars);
      i = j;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
    if (name) {
      out += vars[name] ?? '';
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function expand(body: string, vars: Env): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(body);
  if (!match) throw new Error(`Unsupported interpolation \${${body}}`);
  const [, name, op, arg = ''] = match;
  const value = vars[name];
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op) {
    case undefined:
      return value ?? '';
    case ':-':
      return nonEmpty ? value : interpolate(arg, vars);
    case '-':
      return set ? value : interpolate(arg, vars);
    case ':+':
      return nonEmpty ? interpolate(arg, vars) : '';
    case '+':
      return set ? interpolate(arg, vars) : '';
    case ':?':
    case '?':
      if (op === ':?' ? nonEmpty : set) return value;
      throw new Error(`${name}: ${interpolate(arg, vars)}`);
    default:
      throw new Error(`Unsupported operator ${op}`);
  }
}

function interpolateAll(node: unknown, vars: Env): unknown {
  if (typeof node === 'string') return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, vars));
  if (node && typeof node === 'object')
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, interpolateAll(value, vars)]),
    );
  return node;
}

/** docker-compose.yml as Compose sees it with these shell variables (YAML merge keys included). */
export function loadCompose(vars: Env = {}, file = 'docker-compose.yml'): ComposeFile {
  const raw = parse(readFileSync(join(ROOT, file), 'utf8'), {
    merge: true,
  }) as unknown;
  return interpolateAll(raw, vars) as ComposeFile;
}

/** The networks a service joins, by name. */
export function networkNames(service: ComposeService): string[] {
  const networks = service.networks ?? [];
  return Array.isArray(networks) ? networks : Object.keys(networks);
}

/** The fixed address a service has on a network, if it has one. */
export function fixedAddress(service: ComposeService, network: string): string | undefined {
  const networks = service.networks;
  return networks && !Array.isArray(networks)
    ? (networks[network]?.ipv4_address ?? undefined)
    : undefined;
}

/** A service's environment as its container gets it (values as strings). */
export function serviceEnv(service: ComposeService): Env {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]),
  );
}

/** The services a compose run starts with these profiles, in an order that honours depends_on. */
export function startOrder(compose: ComposeFile, profiles: string[] = []): string[] {
  const active = Object.entries(compose.services)
    .filter(([, s]) => !s.profiles || s.profiles.some((p) => profiles.includes(p)))
    .map(([name]) => name);
  const order: string[] = [];
  const visit = (name: string, path: string[]): void => {
    if (order.includes(name)) return;
    if (path.includes(name)) throw new Error(`depends_on cycle: ${[...path, name].join(' → ')}`);
    for (const [dep, spec] of Object.entries(compose.services[name].depends_on ?? {})) {
      if (!active.includes(dep)) {
        if (spec.required === false) continue;
        throw new Error(`${name} depends on ${dep}, which does not run`);
      }
      visit(dep, [...path, name]);
    }
    order.push(name);
  };
  for (const name of active) visit(name, []);
  return order;
}
