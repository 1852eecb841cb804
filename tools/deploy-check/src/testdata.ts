/** Reads the fixture files under tools/deploy-check/testdata. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifestStream, type K8sObject } from './manifest-stream';
import { RenderedManifests } from './rendered-manifests';

const testdataDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata');

export function readTestdata(path: string): string {
  return readFileSync(join(testdataDir, path), 'utf8');
}

const rendered = parseManifestStream(readTestdata('manifests/rendered.yaml'));

/** An object of the fixture, edited freely by a test (any shape, no checks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are mutated into every broken shape on purpose
export type Editable = any;

/**
 * A fresh copy of the frozen production rendering, after `change` edited its
 * objects (`edit('Deployment', 'smtp-ingress', (d) => ...)`).
 */
export function renderedFixture(change?: (edit: (kind: string, name: string, apply: (object: Editable) => void) => void, objects: K8sObject[]) => void): RenderedManifests {
  const objects = structuredClone(rendered);
  change?.((kind, name, apply) => {
    const object = objects.find((o) => o.kind === kind && o.metadata.name.startsWith(name));
    if (!object) throw new Error(`no ${kind} ${name} in the fixture`);
    apply(object);
  }, objects);
  return new RenderedManifests(objects);
}
