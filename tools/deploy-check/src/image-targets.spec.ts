import { describe, expect, it } from 'vitest';
import { imageCommand, imageTargetProblems } from './image-targets';
import { readWorkspaceFile, services } from './workspace';

describe('the image target of each service', () => {
  it.each(services)('%s builds its image from deploy/docker/Dockerfile', (service) => {
    const project = JSON.parse(readWorkspaceFile(`apps/${service}/project.json`)) as Parameters<typeof imageTargetProblems>[1];
    expect(imageTargetProblems(service, project)).toEqual([]);
  });

  it('reports a missing target, a wrong command and a cached build', () => {
    expect(imageTargetProblems('a', {})).toEqual(['apps/a/project.json has no "image" target']);
    expect(imageTargetProblems('a', { targets: { image: { command: imageCommand('b'), options: { cwd: 'apps/a' } } } })).toHaveLength(3);
  });
});
