import type { ApprovalParameter } from '../playbook/nodes.js';

// Pure: the workflow's update validator, the decision API and the simulator all check edited values here, so a
// value the API refuses is one the run refuses and the preview refuses too. Types only from the schema: this file
// is in the workflow bundle, which holds no zod.

/** A value a person set on an approval: a number (percent, number) or text (text, paragraph). */
export type ApprovalValue = string | number;
export type ApprovalValues = Record<string, ApprovalValue>;

/** One refused value; `bound` names the limit it broke (`max 20`), for the 422 a client shows. */
export interface ApprovalValueProblem {
  name: string;
  code: 'unknown_parameter' | 'wrong_type' | 'below_minimum' | 'above_maximum' | 'too_long';
  bound?: string;
  message: string;
}

/** The parameters as a run sees them: absent on steps compiled before approvals had any. */
export const parametersOf = (config: { parameters?: readonly ApprovalParameter[] }): readonly ApprovalParameter[] =>
  config.parameters ?? [];

/** What the proposal shows and what a run keeps when nobody edits: each parameter's default. */
export function defaultValues(parameters: readonly ApprovalParameter[]): ApprovalValues {
  return Object.fromEntries(parameters.map((p) => [p.name, p.default]));
}

const own = (values: Readonly<Record<string, unknown>>, name: string) =>
  Object.prototype.hasOwnProperty.call(values, name);

/** Lower and upper bound of a numeric parameter (percent defaults to 0–100). */
export function boundsOf(parameter: ApprovalParameter): { min?: number; max?: number } {
  switch (parameter.type) {
    case 'percent':
      return { min: parameter.min ?? 0, max: parameter.max ?? 100 };
    case 'number':
      return { min: parameter.min, max: parameter.max };
    case 'text':
    case 'paragraph':
      return {};
    default: {
      const unreachable: never = parameter;
      return unreachable;
    }
  }
}

const unit = (parameter: ApprovalParameter) => (parameter.type === 'percent' ? ' %' : '');

/** Every problem with `values` as edits of these parameters; empty when each is known, of its type and in bounds. */
export function approvalValueProblems(
  parameters: readonly ApprovalParameter[],
  values: Readonly<Record<string, unknown>>,
): ApprovalValueProblem[] {
  const problems: ApprovalValueProblem[] = [];
  const byName = new Map(parameters.map((p) => [p.name, p]));
  for (const name of Object.keys(values)) {
    if (byName.has(name)) continue;
    const known = parameters.map((p) => p.name);
    problems.push({
      name,
      code: 'unknown_parameter',
      message: known.length
        ? `'${name}' is not a value this approval lets you change; it has ${known.join(', ')}`
        : `'${name}' is not a value this approval lets you change; it has none`,
    });
  }
  for (const parameter of parameters) {
    if (!own(values, parameter.name)) continue;
    const value = values[parameter.name];
    const what = parameter.label ?? parameter.name;
    if (parameter.type === 'text' || parameter.type === 'paragraph') {
      const maxLength = parameter.maxLength ?? (parameter.type === 'text' ? 200 : 2000);
      if (typeof value !== 'string') {
        problems.push({ name: parameter.name, code: 'wrong_type', message: `${what} must be text` });
      } else if (value.length > maxLength) {
        problems.push({
          name: parameter.name,
          code: 'too_long',
          bound: `at most ${maxLength} characters`,
          message: `${what} must be at most ${maxLength} characters (it has ${value.length})`,
        });
      } else if (parameter.type === 'text' && /[\r\n]/.test(value)) {
        problems.push({ name: parameter.name, code: 'wrong_type', message: `${what} must be a single line` });
      }
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push({ name: parameter.name, code: 'wrong_type', message: `${what} must be a number` });
      continue;
    }
    const { min, max } = boundsOf(parameter);
    if (min !== undefined && value < min) {
      problems.push({
        name: parameter.name,
        code: 'below_minimum',
        bound: `min ${min}`,
        message: `${what} must be at least ${min}${unit(parameter)} (got ${value}${unit(parameter)})`,
      });
    } else if (max !== undefined && value > max) {
      problems.push({
        name: parameter.name,
        code: 'above_maximum',
        bound: `max ${max}`,
        message: `${what} must be at most ${max}${unit(parameter)} (got ${value}${unit(parameter)})`,
      });
    }
  }
  return problems;
}

/**
 * The values a decision leaves for the steps after it: an approval keeps the edits over the defaults; a
 * rejection or a timeout leaves the defaults (edits made while rejecting are not an offer).
 */
export function decidedValues(
  parameters: readonly ApprovalParameter[],
  outcome: 'approved' | 'rejected' | 'timeout' | 'withdrawn',
  edits: Readonly<Record<string, ApprovalValue>> | undefined,
): ApprovalValues {
  const defaults = defaultValues(parameters);
  if (outcome !== 'approved' || !edits) return defaults;
  const kept = Object.entries(edits).filter(([name]) => own(defaults, name));
  return { ...defaults, ...Object.fromEntries(kept) };
}

/** "discount 15 %, subject edited": the values on a timeline line, short enough to read at a glance. */
export function describeValues(parameters: readonly ApprovalParameter[], values: ApprovalValues): string {
  return parameters
    .filter((p) => own(values, p.name))
    .map((p) => {
      const value = values[p.name]!;
      if (p.type === 'text' || p.type === 'paragraph') return value === p.default ? '' : `${p.name} edited`;
      return `${p.name} ${value}${unit(p)}`;
    })
    .filter(Boolean)
    .join(', ');
}
