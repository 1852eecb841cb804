import { describe, expect, it } from 'vitest';
import { ManifestSyntaxError, parseManifestStream, schemaProblems, type K8sObject } from './manifest-stream';
import { readTestdata, type Editable } from './testdata';

const objects = parseManifestStream(readTestdata('manifests/rendered.yaml'));
const object = (kind: string, name: string): K8sObject => structuredClone(objects.find((o) => o.kind === kind && o.metadata.name.startsWith(name)) as K8sObject);

describe('parseManifestStream', () => {
  it('reads every document of a rendered overlay', () => {
    expect(objects.filter((o) => o.kind === 'Deployment')).toHaveLength(6);
  });

  it('skips empty documents and refuses broken ones', () => {
    expect(parseManifestStream('---\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n')).toHaveLength(1);
    expect(() => parseManifestStream('a: [\n')).toThrow(ManifestSyntaxError);
    expect(() => parseManifestStream('- 1\n- 2\n')).toThrow(/not a Kubernetes object/);
  });
});

describe('schemaProblems', () => {
  it('accepts every object of the rendered fixture', () => {
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it('reports a value of the wrong type through the Kubernetes schema', () => {
    const deployment = object('Deployment', 'smtp-ingress') as Editable;
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'smtp';
    expect(schemaProblems(deployment)).toEqual([expect.stringMatching(/containerPort must be integer/)]);
  });

  it('reports a missing required field', () => {
    const service = object('Service', 'smtp-ingress') as Editable;
    delete service.spec.ports[0].port;
    expect(schemaProblems(service)).toEqual([expect.stringMatching(/ports\/0 must have required property port/)]);
  });

  it('checks custom resources for a spec only, and refuses unknown kinds', () => {
    const monitor = object('ServiceMonitor', 'mail-platform');
    delete monitor['spec'];
    expect(schemaProblems(monitor)).toEqual([expect.stringMatching(/needs a spec/)]);
    expect(schemaProblems({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'a' } })).toEqual([expect.stringMatching(/neither a known built-in kind/)]);
  });

  it('reports names the API server would refuse', () => {
    const service = object('Service', 'smtp-ingress');
    service.metadata.name = '1smtp';
    expect(schemaProblems(service)).toEqual([expect.stringMatching(/DNS-1035/)]);
    const job = object('Job', 'mailbox-store-migrate');
    job.metadata.name = `mailbox-store-migrate-${'a'.repeat(60)}`;
    expect(schemaProblems(job)).toEqual([expect.stringMatching(/job-name label/)]);
  });
});
