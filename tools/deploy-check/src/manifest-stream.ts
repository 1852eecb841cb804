/**
 * A rendered manifest stream (the output of `kubectl kustomize`): parsing it
 * into objects and validating each object against the Kubernetes OpenAPI
 * schemas through kubernetes-models. Custom resources of the operators the
 * platform uses (Prometheus Operator, KEDA, CloudNativePG) have no schema
 * there: for them only apiVersion, kind and metadata are checked.
 */
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { parseAllDocuments } from 'yaml';

/** Any Kubernetes object, before its kind is known. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** What validating one object needs: a kubernetes-models class. */
type ModelClass = new (data: never) => { validate(): void };

/** Built-in kinds the manifests may contain, by `apiVersion/kind`. */
const models = new Map<string, ModelClass>([
  ['v1/Namespace', Namespace],
  ['v1/ConfigMap', ConfigMap],
  ['v1/Secret', Secret],
  ['v1/Service', Service],
  ['v1/ServiceAccount', ServiceAccount],
  ['apps/v1/Deployment', Deployment],
  ['batch/v1/Job', Job],
  ['policy/v1/PodDisruptionBudget', PodDisruptionBudget],
  ['autoscaling/v2/HorizontalPodAutoscaler', HorizontalPodAutoscaler],
  ['networking.k8s.io/v1/NetworkPolicy', NetworkPolicy],
]);

/** Custom resources the manifests may contain (their CRDs come with the operators). */
const customResources = new Set([
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PodMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
  'keda.sh/v1alpha1/ScaledObject',
  'keda.sh/v1alpha1/TriggerAuthentication',
  'postgresql.cnpg.io/v1/Cluster',
  'postgresql.cnpg.io/v1/ScheduledBackup',
  'barmancloud.cnpg.io/v1/ObjectStore',
]);

/** Kinds whose objects live outside any namespace. */
export const clusterScopedKinds = new Set(['Namespace']);

export class ManifestSyntaxError extends Error {
  override readonly name = 'ManifestSyntaxError';
}

/** Parses a multi-document YAML stream into objects (empty documents are skipped). */
export function parseManifestStream(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new ManifestSyntaxError(document.errors.map((error) => error.message).join('; '));
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isObjectLike(value)) throw new ManifestSyntaxError(`a document is not a Kubernetes object: ${JSON.stringify(value).slice(0, 80)}`);
    objects.push(value);
  }
  return objects;
}

function isObjectLike(value: unknown): value is K8sObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Partial<K8sObject>;
  return typeof candidate.apiVersion === 'string' && typeof candidate.kind === 'string' && typeof candidate.metadata === 'object';
}

/** `Deployment/mail/smtp-ingress`, for messages. */
export function describeObject(object: K8sObject): string {
  return [object.kind, object.metadata.namespace, object.metadata.name].filter(Boolean).join('/');
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Schema problems of one object; empty when it is valid. */
export function schemaProblems(object: K8sObject): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const problems = nameProblems(object);
  const model = models.get(key);
  if (model) {
    try {
      new model(object as never).validate();
    } catch (error) {
      problems.push(`${describeObject(object)}: ${(error as Error).message}`);
    }
  } else if (customResources.has(key)) {
    if (typeof object['spec'] !== 'object' || object['spec'] === null) problems.push(`${describeObject(object)}: a ${object.kind} needs a spec`);
  } else {
    problems.push(`${describeObject(object)}: ${key} is neither a known built-in kind nor an expected custom resource (add it to manifest-stream.ts)`);
  }
  return problems;
}

/** Object names the API server would refuse (kubernetes-models does not check names). */
function nameProblems(object: K8sObject): string[] {
  const { name } = object.metadata;
  const label = `${object.kind} ${JSON.stringify(name)}`;
  if (typeof name !== 'string' || name === '') return [`${object.kind}: metadata.name is missing`];
  if (object.kind === 'Service' && (!dns1035Label.test(name) || name.length > 63)) return [`${label}: a Service name must be a DNS-1035 label of at most 63 characters`];
  if (!dns1123Subdomain.test(name) || name.length > 253) return [`${label}: not a DNS-1123 subdomain`];
  // The Job controller puts the Job's name into a label value of its pods.
  if (object.kind === 'Job' && name.length > 63) return [`${label}: a Job name longer than 63 characters cannot become the job-name label`];
  return [];
}
