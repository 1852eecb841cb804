import { describe, expect, it } from 'vitest';
import { configurationModel, type ConfigurationModel, type VariableRow } from './configuration-model';
import { virtualProgram, virtualRoot } from './virtual-workspace';

// A runService in miniature: common settings plus HTTP_PORT, whose default is looked up in a catalog by service name.
const runtime = {
  'libs/runtime/src/index.ts': "export { runService } from './run-service';\n",
  'libs/runtime/src/run-service.ts': `
import { commonConfig, loadConfig, port, type ConfigShape } from '@mail/config';
const catalog = [{ name: 'demo', opsPort: 9200 }, { name: 'other', opsPort: 9201 }] as const;
function catalogEntry(name: string) {
  const found = catalog.find((entry) => entry.name === name);
  if (!found) throw new Error(name + ' is not in the catalog');
  return found;
}
export function runService(definition: { name: string; config: ConfigShape }): void {
  const entry = catalogEntry(definition.name);
  loadConfig(definition.name, {
    ...commonConfig,
    /** Port of the ops endpoint. */
    httpPort: port('HTTP_PORT', entry.opsPort),
  });
  loadConfig(definition.name, definition.config);
}
`,
};

const demo = {
  'apps/demo/src/steps.ts': "export const steps = ['parse', 'store'] as const;\n",
  'apps/demo/src/config.ts': `
import { ConfigError, enumOf, int, list, string, type Reader } from '@mail/config';
import { steps } from './steps';

function decimal(name: string, fallback: number): Reader<number> {
  return (env) => {
    const value = env[name];
    if (value === undefined) return fallback;
    if (!/^\\d+(\\.\\d+)?$/.test(value)) throw new ConfigError(name, 'a number such as 5 or 6.5', value);
    return Number(value);
  };
}

function hosts(name: string, fallback?: Reader<string[]>): Reader<string[]> {
  return (env) => {
    const entries = list(name)(env);
    if (entries.length === 0 && fallback !== undefined) return fallback(env);
    try {
      return entries.map(check);
    } catch (error) {
      throw new ConfigError(name, \`a comma-separated list of host names (\${(error as Error).message})\`, entries.join(','));
    }
  };
}
function check(host: string): string {
  return host;
}

/** Hosts every listener trusts. */
const trustedEverywhere = hosts('TRUSTED');

export const demoConfig = {
  /** Largest message. */
  size: int('DEMO_SIZE', 4 * 1024 * 1024, { min: 1024 }),
  /** Step to stop at. */
  step: enumOf('DEMO_STEP', ['none', ...steps] as const, 'none'),
  /** Who we are. */
  name: string('DEMO_NAME'),
  /** Score from which | mail is junk. */
  threshold: decimal('DEMO_THRESHOLD', 6.5),
  /** Trusted on the inbound listener, as @mail/demo says. */
  inbound: hosts('DEMO_INBOUND_TRUSTED', trustedEverywhere),
  /** Tests only: stop at this step. */
  crash: string('DEMO_CRASH', 'no'),
  undocumented: list('DEMO_UNDOCUMENTED'),
};
`,
  'apps/demo/src/main.ts': "import { runService } from '@mail/runtime';\nimport { demoConfig } from './config';\nrunService({ name: 'demo', config: demoConfig });\n",
  'apps/democtl/src/main.ts': "import { commonConfig, loadConfig } from '@mail/config';\nloadConfig('democtl', { natsUrl: commonConfig.natsUrl });\n",
  'libs/tracing/src/tracing.ts': "export const endpoint = process.env['OTEL_DEMO_ENDPOINT'];\n",
  'libs/testing/src/isolation.ts': "export const url = process.env['TEST_ONLY_URL'];\n",
  'apps/demo/src/config.spec.ts': "import { loadConfig, int } from '@mail/config';\nloadConfig('spec', { x: int('SPEC_ONLY', 1) });\n",
};

const model = configurationModel(virtualProgram({ ...runtime, ...demo }), virtualRoot);

function row(of: ConfigurationModel, name: string): VariableRow {
  const found = [...of.sections.flatMap((section) => section.rows), ...of.testOnly].find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no row ${name}`);
  return found;
}

describe('configurationModel', () => {
  it('puts the libs first, then each app that declares variables', () => {
    expect(model.sections.map((section) => section.app)).toEqual([undefined, 'demo']);
    expect(model.sections[0]?.files).toEqual(['libs/config/src/common.ts', 'libs/runtime/src/run-service.ts']);
    expect(model.services).toEqual(['demo']);
  });

  it('reads defaults, forms and meanings of the @mail/config readers', () => {
    expect(row(model, 'DEMO_SIZE')).toMatchObject({
      reader: 'int',
      form: 'integer ≥ 1024',
      fallbacks: [{ app: 'demo', fallback: { kind: 'value', value: 4194304, binaryUnits: true } }],
      meaning: 'Largest message.',
    });
    expect(row(model, 'DEMO_STEP').form).toBe('one of `none`, `parse`, `store`');
    expect(row(model, 'DEMO_NAME').fallbacks[0]?.fallback).toEqual({ kind: 'required' });
    expect(row(model, 'DEMO_UNDOCUMENTED')).toMatchObject({ form: 'list', meaning: '', fallbacks: [{ fallback: { kind: 'value', value: [] } }] });
  });

  it("follows a service's own reader: its ConfigError gives the form, its fallback argument the default", () => {
    expect(row(model, 'DEMO_THRESHOLD')).toMatchObject({ reader: 'custom', form: 'a number such as 5 or 6.5', fallbacks: [{ fallback: { kind: 'value', value: 6.5 } }] });
    expect(row(model, 'DEMO_THRESHOLD').meaning).toBe('Score from which | mail is junk.');
  });

  it('lists a reader passed in as a fallback as a variable of its own, with its own doc comment', () => {
    expect(row(model, 'DEMO_INBOUND_TRUSTED')).toMatchObject({
      reader: 'list',
      form: 'a comma-separated list of host names',
      fallbacks: [{ fallback: { kind: 'variable', name: 'TRUSTED' } }],
      meaning: 'Trusted on the inbound listener, as @mail/demo says.',
    });
    expect(row(model, 'TRUSTED')).toMatchObject({ fallbacks: [{ fallback: { kind: 'unset' } }], meaning: 'Hosts every listener trusts.' });
  });

  it("evaluates a default the wrapper looks up by the service's name", () => {
    expect(row(model, 'HTTP_PORT')).toMatchObject({ fallbacks: [{ app: 'demo', fallback: { kind: 'value', value: 9200 } }], meaning: 'Port of the ops endpoint.', usedBy: ['demo'] });
  });

  it('names every app that reads a variable, commands included', () => {
    expect(row(model, 'NATS_URL').usedBy).toEqual(['demo', 'democtl']);
    expect(row(model, 'LOG_LEVEL').usedBy).toEqual(['demo']);
  });

  it('keeps test-only variables and specs out of the tables', () => {
    expect(model.testOnly.map((entry) => entry.name)).toEqual(['DEMO_CRASH']);
    expect(model.sections.flatMap((section) => section.rows).map((entry) => entry.name)).not.toContain('DEMO_CRASH');
    expect(() => row(model, 'SPEC_ONLY')).toThrow(/no row/);
  });

  it('lists process.env reads outside libs/testing', () => {
    expect(model.environmentReads).toEqual([{ name: 'OTEL_DEMO_ENDPOINT', files: ['libs/tracing/src/tracing.ts'] }]);
  });

  it('stops with the file and line of a default it cannot read', () => {
    const broken = {
      'apps/broken/src/main.ts': "import { int, loadConfig } from '@mail/config';\nloadConfig('broken', {\n  when: int('BROKEN', Date.now()),\n});\n",
    };
    expect(() => configurationModel(virtualProgram(broken), virtualRoot)).toThrow(/apps\/broken\/src\/main\.ts:3: cannot read the default of BROKEN \(.*not a constant: Date/);
  });

  it('stops when a property is no reader it can follow', () => {
    const opaque = { 'apps/opaque/src/main.ts': "import { loadConfig } from '@mail/config';\nconst make = (): any => () => 1;\nloadConfig('opaque', { x: make() });\n" };
    expect(() => configurationModel(virtualProgram(opaque), virtualRoot)).toThrow(/main\.ts:3: cannot tell which environment variable x reads/);
  });
});
