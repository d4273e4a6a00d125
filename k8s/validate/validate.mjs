// Validates rendered Kubernetes manifests offline: every object of a kind the Kubernetes or KEDA
// schemas know is checked against its JSON schema (kubernetes-models); an object of a kind they do
// not know (the CloudNativePG Cluster) fails unless it is listed in STRUCTURAL_ONLY.
//
//   kubectl kustomize ../overlays/prod | node validate.mjs
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

// Kinds with no schema package on npm: checked for a name and a spec only, and said so.
const STRUCTURAL_ONLY = new Set(['postgresql.cnpg.io/v1 Cluster']);

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = group === ''
    ? `kubernetes-models/${version}`
    : group.endsWith('keda.sh')
      ? `@kubernetes-models/keda/${group}/${version}`
      : `kubernetes-models/${group}/${version}`;
  try {
    return (await import(module))[kind];
  } catch {
    return undefined;
  }
}

const documents = parseAllDocuments(readFileSync(0, 'utf8'));
let failures = 0, checked = 0;
for (const document of documents) {
  if (document.errors.length) {
    console.error('not YAML:', document.errors.map(String).join('; '));
    failures++;
    continue;
  }
  const object = document.toJS();
  if (!object) continue;
  const id = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  const Model = await modelFor(object.apiVersion, object.kind);
  try {
    if (Model) {
      new Model(object).validate();
      console.log(`ok     ${id}`);
    } else if (STRUCTURAL_ONLY.has(`${object.apiVersion} ${object.kind}`)) {
      if (!object.metadata?.name || typeof object.spec !== 'object') throw new Error('needs metadata.name and spec');
      console.log(`ok     ${id} (no schema available: name and spec only)`);
    } else {
      throw new Error('no schema for this kind');
    }
    checked++;
  } catch (error) {
    failures++;
    console.error(`FAILED ${id}: ${error.message}`);
  }
}
console.log(`${checked} objects valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
