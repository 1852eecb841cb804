/**
 * The `image` target each service's Nx project carries: one docker build of
 * deploy/docker/Dockerfile with APP set to the service, tagged mail/<service>.
 */

/** The command the `image` target of `service` runs. */
export function imageCommand(service: string): string {
  return `docker build -f deploy/docker/Dockerfile --build-arg APP=${service} -t mail/${service} .`;
}

interface ProjectJson {
  targets?: Record<string, { command?: string; options?: { command?: string; cwd?: string }; cache?: boolean }>;
}

/** Problems with the `image` target of one project.json. */
export function imageTargetProblems(service: string, project: ProjectJson): string[] {
  const target = project.targets?.['image'];
  if (!target) return [`apps/${service}/project.json has no "image" target`];
  const command = target.command ?? target.options?.command;
  const problems: string[] = [];
  if (command !== imageCommand(service)) problems.push(`apps/${service}/project.json: the image target should run \`${imageCommand(service)}\`, runs \`${command}\``);
  const cwd = target.options?.cwd;
  if (cwd !== undefined && cwd !== '{workspaceRoot}' && cwd !== '.') problems.push(`apps/${service}/project.json: the image target must run at the workspace root (the build context), cwd is ${cwd}`);
  if (target.cache !== false) problems.push(`apps/${service}/project.json: the image target has no outputs Nx could restore; set "cache": false`);
  return problems;
}
