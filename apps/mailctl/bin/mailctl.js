#!/usr/bin/env node
// mailctl — account administration of the mail platform. Runs the TypeScript
// sources through tsx, like every other process of this workspace.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
