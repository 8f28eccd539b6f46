#!/usr/bin/env node
// Validates the Kubernetes manifests offline against the Kubernetes API's schemas, as kubeconform
// does without a cluster (its default, non-strict mode): kubernetes-models ships a validator per
// kind generated from the API's OpenAPI definitions. Every object of the kustomization's resources
// and of the example Secrets is checked; an apiVersion or kind it does not know is an error too.
//   node scripts/validate-k8s.mjs [folder]     (default deploy/k8s; exit 1 on any problem)
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const dir = resolve(process.argv[2] ?? 'deploy/k8s');
const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'));
const files = [
  ...kustomization.resources,
  ...readdirSync(dir).filter((file) => file.endsWith('.example.yaml')),
];

let problems = 0;
let checked = 0;
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
    const object = doc.toJS();
    if (!object) continue;
    const where = `${file}: ${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
    let model;
    try {
      const api = await import(`kubernetes-models/${object.apiVersion}`);
      model = api[object.kind];
    } catch {
      model = undefined;
    }
    if (!model) {
      console.log(`${where}: unknown apiVersion/kind ${object.apiVersion}/${object.kind}`);
      problems++;
      continue;
    }
    try {
      new model(object).validate();
      checked++;
      console.log(`ok ${where}`);
    } catch (error) {
      console.log(`${where}: ${error.message}`);
      problems++;
    }
  }
}
console.log(`${checked} valid, ${problems} invalid`);
process.exit(problems > 0 || checked === 0 ? 1 : 0);
