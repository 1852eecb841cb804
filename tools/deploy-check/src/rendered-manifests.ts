/**
 * Lookups over one rendered overlay: objects by kind and name, the pods each
 * workload runs, label selection, and the environment a container sees
 * (its ConfigMap envFrom merged with literal env values).
 */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { K8sObject } from './manifest-stream';

/** A Deployment or Job with the pod it runs. */
export interface Workload {
  readonly object: IDeployment | IJob;
  readonly name: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly pod: IPodSpec;
}

export class RenderedManifests {
  constructor(readonly objects: readonly K8sObject[]) {}

  ofKind<T = K8sObject>(kind: string): T[] {
    return this.objects.filter((object) => object.kind === kind) as T[];
  }

  find<T = K8sObject>(kind: string, name: string): T | undefined {
    return this.objects.find((object) => object.kind === kind && object.metadata.name === name) as T | undefined;
  }

  deployments(): IDeployment[] {
    return this.ofKind<IDeployment>('Deployment');
  }

  deployment(name: string): IDeployment | undefined {
    return this.find<IDeployment>('Deployment', name);
  }

  /** Every Deployment and Job, with its pod template. */
  workloads(): Workload[] {
    return [...this.ofKind<IDeployment>('Deployment'), ...this.ofKind<IJob>('Job')].map((object) => ({
      object,
      name: object.metadata?.name ?? '',
      podLabels: object.spec?.template.metadata?.labels ?? {},
      pod: object.spec?.template.spec ?? { containers: [] },
    }));
  }

  /** Deployments whose pods a label selector picks. */
  selectedDeployments(matchLabels: Readonly<Record<string, string>> | undefined): IDeployment[] {
    if (!matchLabels || Object.keys(matchLabels).length === 0) return [];
    return this.deployments().filter((deployment) => selects(matchLabels, deployment.spec?.template.metadata?.labels ?? {}));
  }

  /** The settings a container sees: ConfigMap envFrom (in order), then literal env values. */
  environment(container: IContainer): Map<string, string> {
    const env = new Map<string, string>();
    for (const source of container.envFrom ?? []) {
      const name = source.configMapRef?.name;
      if (!name) continue;
      const data = this.find<IConfigMap>('ConfigMap', name)?.data ?? {};
      for (const [key, value] of Object.entries(data)) env.set(`${source.prefix ?? ''}${key}`, value);
    }
    for (const variable of container.env ?? []) if (variable.value !== undefined) env.set(variable.name, variable.value);
    return env;
  }

  /** The value of a setting in the ConfigMap(s) of the platform (first ConfigMap that has it). */
  setting(key: string): string | undefined {
    for (const configMap of this.ofKind<IConfigMap>('ConfigMap')) {
      const value = configMap.data?.[key];
      if (value !== undefined) return value;
    }
    return undefined;
  }
}

/** True when every pair of `matchLabels` is among `labels`. */
export function selects(matchLabels: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
}

/** The main container of a workload: the one named after it, else the first. */
export function mainContainer(workload: Workload): IContainer | undefined {
  return workload.pod.containers.find((container) => container.name === workload.name) ?? workload.pod.containers[0];
}

/** `registry/mail/smtp-ingress:0.1.0` → `0.1.0`; undefined when untagged or pinned by digest only. */
export function imageTag(image: string | undefined): string | undefined {
  if (!image || image.includes('@')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}
