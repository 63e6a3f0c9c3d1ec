import { z } from 'zod';
import { toIssues, type Issue } from '../errors.js';

// Zod reports a failed union as one "Invalid input" holding every branch's complaints. A person wants the
// complaints of the branch they evidently meant, so unions are flattened to that branch where it is clear.

type ZodIssue = z.core.$ZodIssue;
type Path = PropertyKey[];

function chooseBranch(branches: ZodIssue[][]): ZodIssue[] | undefined {
  const scored = branches.map((issues) => ({
    issues,
    atRoot: issues.filter((issue) => issue.path.length === 0).length,
    total: issues.length,
  }));
  scored.sort((a, b) => a.atRoot - b.atRoot || a.total - b.total);
  const [best, runnerUp] = scored;
  if (!best || (runnerUp && runnerUp.atRoot === best.atRoot && runnerUp.total === best.total)) return undefined;
  return best.issues;
}

function flattenUnions(issues: readonly ZodIssue[], base: Path = []): ZodIssue[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branch = chooseBranch(issue.errors);
      if (branch) return flattenUnions(branch, path);
      return [{ ...issue, errors: [], path } as ZodIssue];
    }
    return [{ ...issue, path } as ZodIssue];
  });
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key))
      return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

function quoteAll(values: readonly unknown[]): string {
  return values.map((value) => (typeof value === 'string' ? `'${value}'` : String(value))).join(', ');
}

// Our own schema messages already read well ("must be at least 1"); zod's defaults start with a capital word.
function describeProblem(issue: ZodIssue, actual: unknown): string {
  // A whole missing object (enrollment: undefined) fails its union or type check; "missing" is the news.
  if (actual === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) return 'is missing';
  if (!/^(Invalid|Too |Unrecognized|Expected)/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return actual === undefined ? 'is missing' : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${quoteAll(issue.values)}`
        : `must be one of ${quoteAll(issue.values)}`;
    case 'unrecognized_keys':
      return `has unknown setting${issue.keys.length === 1 ? '' : 's'} ${quoteAll(issue.keys)}`;
    case 'too_small':
      if (issue.origin === 'array')
        return `needs at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string')
        return issue.minimum === 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)} characters`;
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array') return `has more than ${String(issue.maximum)} items`;
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      return `must be at most ${String(issue.maximum)}`;
    default:
      return 'is not valid';
  }
}

const THE_PLAYBOOK = 'The playbook';

/** Who a schema problem is about, in words, and the node it belongs to. */
function subjectOf(input: unknown, path: Path): { subject: string; rest: Path; nodeId?: string } {
  const [section, index, ...rest] = path;
  if (typeof index === 'number') {
    const item = valueAt(input, [section as PropertyKey, index]);
    const id = valueAt(item, ['id']);
    const label = valueAt(item, ['label']);
    const name = typeof label === 'string' && label.trim() ? label : typeof id === 'string' ? id : undefined;
    // `config.` is implied when talking about a step's settings.
    const withinStep = rest[0] === 'config' ? rest.slice(1) : rest;
    if (section === 'nodes')
      return {
        subject: name ? `Step '${name}'` : `Step ${index + 1}`,
        rest: withinStep,
        ...(typeof id === 'string' ? { nodeId: id } : {}),
      };
    if (section === 'edges')
      return { subject: typeof id === 'string' ? `Connection '${id}'` : `Connection ${index + 1}`, rest };
    if (section === 'triggers') return { subject: `Trigger ${index + 1}`, rest };
    if (section === 'exit') return { subject: name ? `Exit '${name}'` : `Exit ${index + 1}`, rest };
  }
  return { subject: THE_PLAYBOOK, rest: path };
}

function pathWords(path: Path): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    '',
  );
}

/** Schema problems as issues: flattened unions, node ids attached, messages that say which step and what. */
export function schemaIssues(error: z.ZodError, input: unknown): Issue[] {
  const flat = flattenUnions(error.issues);
  const issues = toIssues(new z.ZodError(flat));
  return flat.map((zodIssue, i) => {
    const { subject, rest, nodeId } = subjectOf(input, zodIssue.path);
    const problem = describeProblem(zodIssue, valueAt(input, zodIssue.path));
    const where = pathWords(rest);
    const message =
      subject === THE_PLAYBOOK && where
        ? `The playbook's ${where} ${problem}`
        : where
          ? `${subject}: ${where} ${problem}`
          : `${subject} ${problem}`;
    const base = issues[i] ?? { path: pathWords(zodIssue.path) || '(root)', code: zodIssue.code, message };
    return { ...(nodeId === undefined ? {} : { nodeId }), path: base.path, code: base.code, message };
  });
}
