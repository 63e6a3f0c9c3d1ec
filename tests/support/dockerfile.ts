import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Just enough of the Dockerfile and .dockerignore formats to replay this repository's image without a container
// runtime: stages, their WORKDIR/ENV/COPY/RUN/USER/CMD, and the context's ignore patterns. Anything outside that
// subset throws, so the replay never silently differs from what Docker would do.

export interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
}

export interface Stage {
  name: string | undefined;
  workdir: string;
  env: Record<string, string>;
  copies: Copy[];
  runs: string[];
  user: string | undefined;
  cmd: string[] | undefined;
}

export function readDockerfile(file: string): Stage[] {
  const lines = readFileSync(file, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const stage = stages.at(-1);
    if (op === 'FROM') {
      stages.push({
        name: / AS (\S+)$/i.exec(rest)?.[1],
        workdir: '/',
        env: {},
        copies: [],
        runs: [],
        user: undefined,
        cmd: undefined,
      });
      continue;
    }
    if (!stage) throw new Error(`${file}: ${op} before FROM`);
    if (op === 'WORKDIR') stage.workdir = path.posix.resolve(stage.workdir, rest);
    else if (op === 'ENV') {
      const [, key = '', value = ''] = /^(\w+)=(\S*)$/.exec(rest) ?? [];
      if (!key) throw new Error(`${file}: only ENV KEY=value is replayed: ${line}`);
      stage.env[key] = value;
    } else if (op === 'COPY') {
      const words = rest.split(/\s+/);
      const flags = words.filter((word) => word.startsWith('--'));
      const paths = words.filter((word) => !word.startsWith('--'));
      const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
      stage.copies.push({ from, sources: paths.slice(0, -1), dest: path.posix.resolve(stage.workdir, paths.at(-1)!) });
    } else if (op === 'RUN') stage.runs.push(rest);
    else if (op === 'USER') stage.user = rest;
    else if (op === 'CMD') stage.cmd = JSON.parse(rest) as string[];
    else if (op !== 'EXPOSE') throw new Error(`${file}: ${op} is not replayed by tests/support/dockerfile.ts`);
  }
  return stages;
}

/** Copies the build context (`root` minus .dockerignore) to `to`, as `docker build` sends it. */
export function copyContext(root: string, to: string): void {
  const patterns = readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const unsupported = patterns.filter((pattern) => pattern.startsWith('!') || pattern.includes('**'));
  if (unsupported.length) throw new Error(`.dockerignore patterns not replayed: ${unsupported.join(', ')}`);
  // Docker anchors each pattern at the context root; `*` stays within one path segment.
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const ignored = patterns.map(
    (pattern) =>
      new RegExp(
        `^${pattern
          .replace(/^\/|\/$/g, '')
          .split('*')
          .map(escape)
          .join('[^/]*')}(/|$)`,
      ),
  );
  cpSync(root, to, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(root, source).split(path.sep).join('/');
      return relative === '' || !ignored.some((pattern) => pattern.test(relative));
    },
  });
}
