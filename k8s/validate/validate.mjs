// Validates rendered Kubernetes manifests offline: every object of a kind the Kubernetes or KEDA
// schemas know is checked against its JSON schema (kubernetes-models); an object of a kind they do
// not know (CloudNativePG's Cluster and Pooler, the Prometheus Operator's PrometheusRule and PodMonitor) fails unless it is
// listed in STRUCTURAL_ONLY.
//
//   kubectl kustomize ../overlays/prod | node validate.mjs
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

// Kinds with no schema package on npm: checked for a name and a spec only, and said so.
const STRUCTURAL_ONLY = new Set(['postgresql.cnpg.io/v1 Cluster', 'postgresql.cnpg.io/v1 Pooler',
  'monitoring.coreos.com/v1 PrometheusRule', 'monitoring.coreos.com/v1 PodMonitor']);

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

// CloudNativePG's Pooler, checked further by hand: the operator's webhook refuses a PgBouncer parameter
// outside this list (api/v1 pooler_webhook.go, AllowedPgbouncerGenericConfigurationParameters), and
// every value must be a string.
const POOLER_PARAMETERS = new Set([
  'application_name_add_host', 'auth_type', 'autodb_idle_timeout', 'cancel_wait_timeout', 'client_idle_timeout',
  'client_login_timeout', 'client_tls_sslmode', 'default_pool_size', 'disable_pqexec', 'dns_max_ttl',
  'dns_nxdomain_ttl', 'idle_transaction_timeout', 'ignore_startup_parameters', 'listen_backlog', 'log_connections',
  'log_disconnections', 'log_pooler_errors', 'log_stats', 'max_client_conn', 'max_db_connections', 'max_packet_size',
  'max_prepared_statements', 'max_user_connections', 'min_pool_size', 'pkt_buf', 'query_timeout',
  'query_wait_timeout', 'reserve_pool_size', 'reserve_pool_timeout', 'sbuf_loopcnt', 'server_check_delay',
  'server_check_query', 'server_connect_timeout', 'server_fast_close', 'server_idle_timeout', 'server_lifetime',
  'server_login_retry', 'server_reset_query', 'server_reset_query_always', 'server_round_robin',
  'server_tls_ciphers', 'server_tls_protocols', 'server_tls_sslmode', 'stats_period', 'suspend_timeout',
  'tcp_defer_accept', 'tcp_socket_buffer', 'tcp_keepalive', 'tcp_keepcnt', 'tcp_keepidle', 'tcp_keepintvl',
  'tcp_user_timeout', 'track_extra_parameters', 'verbose']);

function checkPooler(pooler, clusters) {
  const spec = pooler.spec;
  if (!clusters.has(spec.cluster?.name)) throw new Error(`spec.cluster.name ${spec.cluster?.name} is no Cluster here`);
  if (!['rw', 'ro', 'r'].includes(spec.type)) throw new Error(`spec.type ${spec.type} is not rw, ro or r`);
  if (!['session', 'transaction'].includes(spec.pgbouncer?.poolMode)) {
    throw new Error(`spec.pgbouncer.poolMode ${spec.pgbouncer?.poolMode} is not session or transaction`);
  }
  for (const [name, value] of Object.entries(spec.pgbouncer.parameters ?? {})) {
    if (!POOLER_PARAMETERS.has(name)) throw new Error(`PgBouncer parameter ${name} is not one the operator accepts`);
    if (typeof value !== 'string') throw new Error(`PgBouncer parameter ${name} must be a string`);
  }
}

const documents = parseAllDocuments(readFileSync(0, 'utf8'));
const clusters = new Set(documents.map((document) => document.toJS())
  .filter((object) => object?.apiVersion === 'postgresql.cnpg.io/v1' && object.kind === 'Cluster')
  .map((object) => object.metadata?.name));
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
      if (object.kind === 'Pooler') {
        checkPooler(object, clusters);
        console.log(`ok     ${id} (no schema available: its cluster, type, pool mode and parameters checked)`);
      } else {
        console.log(`ok     ${id} (no schema available: name and spec only)`);
      }
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
