// Workspace lint rules. The module-boundary constraints are the architecture:
// apps never import apps, contracts depend only on utilities, the testing lib
// is reachable only from tests, the protocol clients (type:client) stand on
// the wire grammar, and the launcher of service processes (type:launcher)
// serves tools and tests, never a service. An evaluation (type:evaluation,
// tools/spam-eval) runs one app's own code offline: it may import that app's
// evaluation entry, and its scope tag keeps it to that one app.
import nx from '@nx/eslint-plugin';

const productionConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:protocol', 'type:data-access', 'type:client'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:protocol', 'type:data-access', 'type:client', 'type:launcher', 'type:testing'] },
  { sourceTag: 'type:evaluation', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:protocol', 'type:data-access', 'type:client', 'type:app'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:data-access'] },
  // a protocol lib may stand on another's grammar (libs/imap decodes SASL with libs/pop3's code rather than keeping a copy)
  { sourceTag: 'type:protocol', onlyDependOnLibsWithTags: ['type:util', 'type:protocol'] },
  { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:util', 'type:protocol'] },
  { sourceTag: 'type:launcher', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:protocol', 'type:data-access', 'type:client', 'type:launcher'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:smtp-ingress', onlyDependOnLibsWithTags: ['scope:shared', 'scope:smtp-ingress'] },
  { sourceTag: 'scope:spam-filter', onlyDependOnLibsWithTags: ['scope:shared', 'scope:spam-filter'] },
  { sourceTag: 'scope:mailbox-store', onlyDependOnLibsWithTags: ['scope:shared', 'scope:mailbox-store'] },
  { sourceTag: 'scope:pop3-server', onlyDependOnLibsWithTags: ['scope:shared', 'scope:pop3-server'] },
  { sourceTag: 'scope:imap-server', onlyDependOnLibsWithTags: ['scope:shared', 'scope:imap-server'] },
  { sourceTag: 'scope:outbound-relay', onlyDependOnLibsWithTags: ['scope:shared', 'scope:outbound-relay'] },
  { sourceTag: 'scope:mailctl', onlyDependOnLibsWithTags: ['scope:shared', 'scope:mailctl'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:shared', 'scope:tools'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:protocol', 'type:data-access', 'type:client', 'type:launcher', 'type:testing'] },
  { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
];

// Tests may also use the testing fixtures.
const testConstraints = productionConstraints.map((c) =>
  c.sourceTag.startsWith('type:') && c.sourceTag !== 'type:testing' ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] } : c,
);

const testFiles = ['**/*.spec.ts', '**/test/**/*.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.data', '**/vitest*.config.ts*'] },
  {
    files: ['**/*.ts'],
    ignores: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: productionConstraints }],
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: testConstraints }],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
