import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { getMetadataStorage } from 'class-validator';
import { loadConfig } from '@mfm/platform/config/load-config';
import { EnvSchema } from '@mfm/platform/config/env.schema';
import { MODULE_NAMES } from '@mfm/platform/topology/module-names';
import { ROOT } from './compose';

/** deploy/k8s/ parsed and checked against the app's configuration schema and its routes. */

const DIR = join(ROOT, 'deploy', 'k8s');
const VALIDATOR = join(ROOT, 'scripts', 'validate-k8s.mjs');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

const load = (file: string): K8sObject[] =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8'))
    .map((doc) => doc.toJS() as K8sObject)
    .filter(Boolean);

const kustomization = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as {
  resources: string[];
};
const applied = kustomization.resources.flatMap(load);
const secretExample = load('secret.example.yaml');
const busTlsExample = load('bus-tls.secret.example.yaml');
const find = (kind: string, name: string) =>
  applied.find((o) => o.kind === kind && o.metadata.name === name);

/** Every variable the schema knows (decorated properties of EnvSchema). */
const schemaVariables = new Set(
  getMetadataStorage()
    .getTargetValidationMetadatas(EnvSchema, '', true, false)
    .map((m) => m.propertyName),
);

/** The environment a container of this Deployment gets (secrets: the example's values). */
function containerEnv(deployment: K8sObject): Record<string, string> {
  const container = deployment.spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const map = find('ConfigMap', from.configMapRef.name);
    expect({ configMap: from.configMapRef.name, found: map !== undefined }).toEqual({
      configMap: from.configMapRef.name,
      found: true,
    });
    Object.assign(env, map?.data);
  }
  for (const item of container.env ?? []) {
    if (item.value !== undefined) env[item.name] = String(item.value);
    const ref = item.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = secretExample.find((o) => o.kind === 'Secret' && o.metadata.name === ref.name);
      expect({
        secret: ref.name,
        key: ref.key,
        present: secret?.stringData?.[ref.key] !== undefined,
      }).toEqual({
        secret: ref.name,
        key: ref.key,
        present: true,
      });
      // The database is what a replica cannot run without; everything else is optional.
      expect({ key: ref.key, optional: ref.optional === true }).toEqual({
        key: ref.key,
        optional: !ref.key.endsWith('_DATABASE_URL'),
      });
      env[item.name] = String(secret?.stringData?.[ref.key]);
    }
  }
  return env;
}

describe('deploy/k8s manifests', () => {
  it('lists every manifest but the example Secrets, and holds no real secret', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect(kustomization.resources.sort()).toEqual(
      files.filter((f) => !f.endsWith('.example.yaml')).sort(),
    );
    // The bus example holds placeholders, never a key.
    for (const value of Object.values(busTlsExample[0].stringData ?? {}))
      expect(value).not.toMatch(/-----BEGIN [A-Z ]+-----\s*\n\s*[A-Za-z0-9+/=]{40,}/);
    expect(applied.some((o) => o.kind === 'Secret')).toBe(false);
    const config = find('ConfigMap', 'mfm-config');
    for (const key of Object.keys(config?.data ?? {}))
      expect(key).not.toMatch(/PASSWORD|SECRET|KEY|DATABASE_URL/);
  });

  it('uses only variables of the configuration schema, in ConfigMap, Secret and Deployments', () => {
    const used = new Set<string>();
    for (const o of [...applied, ...secretExample]) {
      for (const key of Object.keys(o.data ?? {})) used.add(key);
      for (const key of Object.keys(o.stringData ?? {})) used.add(key);
      for (const c of o.spec?.template?.spec?.containers ?? [])
        for (const item of c.env ?? []) used.add(item.name);
    }
    used.delete('SERVICE'); // read by the entrypoint (select-services), not by the schema
    for (const name of used)
      expect({ name, known: schemaVariables.has(name) }).toEqual({ name, known: true });
  });

  describe.each(MODULE_NAMES)('%s', (module) => {
    const deployment = find('Deployment', module) as K8sObject;
    const service = find('Service', module) as K8sObject;

    it('has a Deployment whose environment is a valid configuration for this module', () => {
      expect(deployment).toBeDefined();
      const env = containerEnv(deployment);
      expect(env.SERVICE).toBe(module);
      const config = loadConfig(env);
      expect(config.modules[module].host).toBe(module);
      const withoutDb = { ...env };
      delete withoutDb[`${module.toUpperCase()}_DATABASE_URL`];
      expect(loadConfig(withoutDb).modules[module].databaseUrl).toBeUndefined();
      expect(config.modules[module].databaseUrl).toMatch(/^postgres:\/\//);
      expect(deployment.spec.template.spec.containers[0].image).toBe(
        (find('Deployment', 'users') as K8sObject).spec.template.spec.containers[0].image,
      );
    });

    it('exposes the configured ports, probes /ready and /health, and runs stateless replicas on PostgreSQL', () => {
      const config = loadConfig(containerEnv(deployment));
      const container = deployment.spec.template.spec.containers[0];
      const ports = Object.fromEntries(container.ports.map((p: any) => [p.name, p.containerPort]));
      expect(ports).toEqual({
        http: config.modules[module].httpPort,
        tcp: config.modules[module].tcpPort,
      });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      // Its data is in its PostgreSQL database; the data folder is scratch space.
      expect(config.modules[module].databaseUrl).toMatch(/^postgres:\/\//);
      const mount = container.volumeMounts.find((m: any) => m.mountPath === config.dataDir);
      const volume = deployment.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
      expect(volume.emptyDir).toEqual({});
      expect(applied.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
      // Several replicas, replaced one at a time, each given the time to drain on SIGTERM.
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      expect(deployment.spec.strategy).toMatchObject({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 0 },
      });
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
        config.shutdownTimeoutMs,
      );
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    });

    it('scales with an HPA from two replicas, keeps one through disruptions, and admits only the ingress, Prometheus and its peers', () => {
      const labels = deployment.spec.template.metadata.labels;
      const hpa = find('HorizontalPodAutoscaler', module) as K8sObject;
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: module,
      });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
      const pdb = find('PodDisruptionBudget', module) as K8sObject;
      expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: labels } });
      const policy = find('NetworkPolicy', module) as K8sObject;
      expect(policy.spec.podSelector).toEqual({ matchLabels: labels });
      expect(policy.spec.policyTypes).toEqual(['Ingress']);
      const byPort = Object.fromEntries(
        policy.spec.ingress.map((rule: any) => [
          rule.ports.map((p: any) => p.port).join(),
          rule.from,
        ]),
      );
      expect(Object.keys(byPort).sort()).toEqual(['http', 'tcp']);
      // HTTP from the ingress controller's and Prometheus' namespaces only.
      expect(byPort.http.map((f: any) => Object.keys(f))).toEqual([
        ['namespaceSelector'],
        ['namespaceSelector'],
      ]);
      // The bus port from the store's own pods only.
      expect(byPort.tcp).toEqual([
        {
          podSelector: {
            matchLabels: { 'app.kubernetes.io/name': labels['app.kubernetes.io/name'] },
          },
        },
      ]);
    });

    it('listens on every interface and mounts the bus CA and only its own certificate and key at BUS_TLS_DIR', () => {
      const env = containerEnv(deployment);
      expect(env.BIND_HOST).toBe('0.0.0.0'); // the loopback default would hide it from its peers
      const config = loadConfig(env);
      const container = deployment.spec.template.spec.containers[0];
      const mount = container.volumeMounts.find((m: any) => m.mountPath === config.bus.tlsDir);
      expect(mount).toMatchObject({ readOnly: true });
      const volume = deployment.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
      const secret = busTlsExample.find(
        (o) => o.kind === 'Secret' && o.metadata.name === volume.secret.secretName,
      );
      expect(secret).toBeDefined();
      expect(volume.secret.optional).toBeUndefined(); // no credentials, no pod
      expect(volume.secret.items).toEqual([
        { key: 'ca.crt', path: 'ca.crt' },
        { key: `${module}.crt`, path: `${module}.crt` },
        { key: `${module}.key`, path: `${module}.key` },
      ]);
      for (const { key } of volume.secret.items) expect(secret?.stringData).toHaveProperty([key]);
      // Readable by the app's group only (the pod's fsGroup), as the app runs as that user.
      expect(volume.secret.defaultMode).toBe(0o440);
      expect(deployment.spec.template.spec.securityContext.fsGroup).toBe(1000);
    });

    it('has a Service selecting its pods on the same ports, named as peers look it up', () => {
      expect(service).toBeDefined();
      const labels = deployment.spec.template.metadata.labels;
      for (const [key, value] of Object.entries(service.spec.selector))
        expect(labels[key]).toBe(value);
      expect(deployment.spec.selector.matchLabels).toEqual(service.spec.selector);
      const config = loadConfig(containerEnv(deployment));
      expect(service.spec.ports).toEqual([
        { name: 'http', port: config.modules[module].httpPort, targetPort: 'http' },
        { name: 'tcp', port: config.modules[module].tcpPort, targetPort: 'tcp' },
      ]);
      // Callers open several connections to the Service, so calls spread over the replicas.
      expect(config.modules[module].tcpAddresses.length).toBeGreaterThanOrEqual(2);
      for (const address of config.modules[module].tcpAddresses)
        expect(address).toEqual({
          host: service.metadata.name,
          port: config.modules[module].tcpPort,
        });
    });
  });

  it('trusts X-Forwarded-For only from the ingress controller’s addresses, every Service internal', () => {
    for (const module of MODULE_NAMES) {
      const config = loadConfig(containerEnv(find('Deployment', module) as K8sObject));
      // Single addresses or a controller's own small pool, never a network: a load balancer in
      // the same range would be trusted too, and through it the client's own header.
      for (const entry of config.trustProxy) {
        const [address, prefix] = entry.split('/');
        const bits = isIP(address) === 6 ? 128 : 32;
        expect({ entry, narrow: Number(prefix ?? bits) >= bits - 8 }).toEqual({
          entry,
          narrow: true,
        });
      }
    }
    // How to set them is written down where the manifests are.
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    expect(readme).toMatch(/kubectl patch configmap mfm-config .*TRUST_PROXY/);
    expect(readme).toMatch(/ingress controller's addresses/);
    // No client reaches a pod but through the Ingress.
    for (const service of applied.filter((o) => o.kind === 'Service'))
      expect({ service: service.metadata.name, type: service.spec.type ?? 'ClusterIP' }).toEqual({
        service: service.metadata.name,
        type: 'ClusterIP',
      });
  });

  it('routes every controller of the code, /health, /docs and the web app through the Ingress to its module', () => {
    const ingress = applied.find((o) => o.kind === 'Ingress') as K8sObject;
    const paths: Array<{
      path: string;
      backend: { service: { name: string; port: { number: number } } };
    }> = ingress.spec.rules.flatMap((r: any) => r.http.paths);
    for (const p of paths) {
      const service = find('Service', p.backend.service.name);
      expect(service).toBeDefined();
      expect(service?.spec.ports.find((port: any) => port.name === 'http').port).toBe(
        p.backend.service.port.number,
      );
    }
    const routed = (path: string) =>
      paths
        .filter(
          (p) => path === p.path || path.startsWith(p.path.endsWith('/') ? p.path : `${p.path}/`),
        )
        .sort((a, b) => b.path.length - a.path.length)[0]?.backend.service.name;
    for (const module of MODULE_NAMES) {
      const dir = join(ROOT, 'src', module);
      const files = readdirSync(dir, { recursive: true }) as string[];
      for (const file of files.filter((f) => f.endsWith('.controller.ts'))) {
        for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/@Controller\('([^']+)'\)/g))
          expect({ prefix: m[1], module: routed(`/${m[1]}/x`) }).toEqual({ prefix: m[1], module });
      }
    }
    for (const path of ['/health', '/ready', '/docs']) expect(routed(path)).toBe('users');
    // The web app and its single-page routes: served by users, as one process serves them.
    for (const path of ['/', '/orders/123', '/assets/index.js', '/office/products'])
      expect({ path, module: routed(path) }).toEqual({ path, module: 'users' });
    expect(existsSync(join(DIR, 'README.md'))).toBe(true);
  });

  it('every object is valid against the Kubernetes API schemas (an offline kubeconform)', () => {
    const run = spawnSync(process.execPath, [VALIDATOR, DIR], { cwd: ROOT, encoding: 'utf8' });
    const objects = applied.length + secretExample.length + busTlsExample.length;
    expect(run.stdout).toContain(`${objects} valid, 0 invalid`);
    expect(run.status).toBe(0);
  });

  it('the schema check refuses a broken manifest, naming it', () => {
    const broken = mkdtempSync(join(tmpdir(), 'mfm-k8s-'));
    try {
      cpSync(DIR, broken, { recursive: true });
      const file = join(broken, 'orders.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('minReplicas: 2', 'minReplicas: two'));
      const run = spawnSync(process.execPath, [VALIDATOR, broken], { cwd: ROOT, encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/orders\.yaml: HorizontalPodAutoscaler\/orders: .*minReplicas/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });
});
