/**
 * The base as a platform team consumes it from another repository, pinned
 * by tag (`resources: - https://github.com/<org>/<repo>//deploy/kubernetes/base?ref=v0.1.0`):
 * it names no namespace (theirs is set by their overlay) and holds no
 * custom resource (kubectl apply refuses kinds whose CRDs are not
 * installed; monitoring is the optional component components/monitoring).
 */
import { clusterScopedKinds, describeObject, type K8sObject } from './manifest-stream';

/** Problems of the rendered base: a Namespace, a namespaced object with a namespace, a custom resource. */
export function basePortabilityProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    if (object.kind === 'Namespace') problems.push(`the base renders Namespace ${object.metadata.name}: leave it to the overlay (deploy/kubernetes/namespace)`);
    else if (!clusterScopedKinds.has(object.kind) && object.metadata.namespace !== undefined) problems.push(`${describeObject(object)}: the base sets a namespace`);
    if (!builtInGroups.some((group) => object.apiVersion === group || object.apiVersion.startsWith(`${group}/`)) && object.apiVersion.includes('/')) {
      problems.push(`${describeObject(object)}: ${object.apiVersion} is a custom resource; put it in an optional component`);
    }
  }
  return problems;
}

/** API groups every cluster serves. */
const builtInGroups = ['v1', 'apps', 'batch', 'policy', 'autoscaling', 'networking.k8s.io'];

/** The kustomization of an overlay in another repository that pins the base and picks its own namespace (`basePath`: a URL, or a path relative to the overlay: kustomize refuses absolute ones). */
export function consumerKustomization(basePath: string, namespace: string): string {
  return ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', `namespace: ${namespace}`, 'resources:', `  - ${basePath}`, ''].join('\n');
}
