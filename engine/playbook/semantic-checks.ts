import { PERSON_NAMES } from '../approvals/chain.js';
import { boundsOf } from '../approvals/values.js';
import type { Issue } from '../errors.js';
import { templateVariableProblem, templateVocabulary } from '../templates/schema.js';
import { accountField, type AccountFieldSpec, type AccountFieldVocabulary } from './account-fields.js';
import { fieldConditionsOf, type Condition, type ConditionValue, type FieldCondition } from './conditions.js';
import { approximateDays, describeDuration, MAX_WAIT_DAYS, type Duration } from './durations.js';
import type { Connection } from './graph.js';
import { messagePlaceholders } from './fill-message.js';
import type { CompileContext } from './ir.js';
import { ELSE_HANDLE, type NodeOfType, type OwnerChoice, type PlaybookNode } from './nodes.js';
import type { EnrollmentPolicy, ExitCriterion } from './schema.js';
import type { Trigger } from './triggers.js';

// Checks that need more than the shape of one value: references to templates and account fields, value types
// against the account schema, and waits no one can mean. They run on the parts that passed the schema.

interface Checker {
  vocabulary: AccountFieldVocabulary;
  context: CompileContext;
  issues: Issue[];
  /** The steps by id and how they connect; absent when the graph itself is broken (its issues say why). */
  flow?: { nodes: ReadonlyMap<string, PlaybookNode>; startNodeId: string; connections: readonly Connection[] };
}

interface Owner {
  /** How to name the thing in a message: "'Segment?'" or "Trigger 2". */
  name: string;
  nodeId?: string;
}

function report(checker: Checker, owner: Owner, path: string, code: string, message: string): void {
  checker.issues.push({ ...(owner.nodeId === undefined ? {} : { nodeId: owner.nodeId }), path, code, message });
}

function fieldHolds(spec: AccountFieldSpec, value: ConditionValue): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.every((item) => fieldHolds(spec, item));
  switch (spec.type) {
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value);
    case 'string':
      return typeof value === 'string' && (!spec.values || spec.values.includes(value));
    default: {
      const unreachable: never = spec.type;
      return unreachable;
    }
  }
}

function describeField(name: string, spec: AccountFieldSpec): string {
  if (spec.values) return `${name} is one of ${spec.values.map((value) => `'${value}'`).join(', ')}`;
  const words = { number: 'numbers', boolean: 'true or false', date: 'dates (YYYY-MM-DD)', string: 'text' } as const;
  return `${name} holds ${words[spec.type]}`;
}

/** Looks up an account field by name, reporting it when accounts have no such field. */
function knownField(
  checker: Checker,
  owner: Owner,
  path: string,
  name: string,
  what: string,
): AccountFieldSpec | undefined {
  const spec = accountField(checker.vocabulary, name);
  if (!spec)
    report(
      checker,
      owner,
      path,
      'unknown_account_field',
      `${owner.name} ${what} '${name}', but accounts have no field '${name}'`,
    );
  return spec;
}

function checkFieldCondition(
  checker: Checker,
  owner: Owner,
  path: string,
  condition: FieldCondition,
  measures: boolean,
): void {
  if (condition.measure !== undefined && !measures) {
    // Only a branch decides at an instant the run chose; an exit or a filter is checked when something happens,
    // so "more than 365 days ago" there would become true silently, on no step.
    report(
      checker,
      owner,
      `${path}.measure`,
      'measure_not_here',
      `${owner.name} counts days since or until a date, which only a branch step can do (it decides at the run's own time)`,
    );
    return;
  }
  if (!condition.field.startsWith('account.')) return; // event data has no declared schema to check against
  const name = condition.field.slice('account.'.length);
  const spec = knownField(checker, owner, `${path}.field`, name, 'checks account field');
  if (spec && condition.measure !== undefined) {
    if (spec.type !== 'date')
      report(
        checker,
        owner,
        `${path}.field`,
        'condition_type_mismatch',
        `${owner.name} counts days ${condition.measure === 'daysSince' ? 'since' : 'until'} account field '${name}', which is not a date`,
      );
    return;
  }
  if (!spec || condition.op === 'exists' || condition.value === undefined) return;
  const ordering = ['gt', 'gte', 'lt', 'lte'].includes(condition.op);
  if (ordering && spec.type !== 'number' && spec.type !== 'date') {
    report(
      checker,
      owner,
      `${path}.op`,
      'condition_type_mismatch',
      `${owner.name} uses '${condition.op}' on account field '${name}', but only numbers and dates can be compared that way`,
    );
  } else if (condition.op === 'contains' && spec.type !== 'string') {
    report(
      checker,
      owner,
      `${path}.op`,
      'condition_type_mismatch',
      `${owner.name} uses 'contains' on account field '${name}', which is not text`,
    );
  } else if (condition.op !== 'contains' && !fieldHolds(spec, condition.value)) {
    report(
      checker,
      owner,
      `${path}.value`,
      'condition_type_mismatch',
      `${owner.name} compares account field '${name}' with ${JSON.stringify(condition.value)}, but ${describeField(name, spec)}`,
    );
  }
}

function checkCondition(
  checker: Checker,
  owner: Owner,
  path: string,
  condition: Condition | undefined,
  /** Whether days since/until a date may be counted here (branch steps only). */
  measures = false,
): void {
  if (!condition) return;
  for (const found of fieldConditionsOf(condition, path))
    checkFieldCondition(checker, owner, found.path, found.condition, measures);
}

function checkDuration(
  checker: Checker,
  owner: Owner,
  path: string,
  duration: Duration | undefined,
  what: string,
): void {
  if (!duration || approximateDays(duration) <= MAX_WAIT_DAYS) return;
  report(
    checker,
    owner,
    path,
    'impossible_wait',
    `${owner.name} ${what} ${describeDuration(duration)}, which is more than ten years`,
  );
}

function checkOffset(checker: Checker, owner: Owner, path: string, offsetDays: number, field: string): void {
  if (Math.abs(offsetDays) <= MAX_WAIT_DAYS) return;
  const side = offsetDays < 0 ? 'before' : 'after';
  report(
    checker,
    owner,
    path,
    'impossible_wait',
    `${owner.name} is set ${Math.abs(offsetDays)} days ${side} ${field}, more than ten years (${MAX_WAIT_DAYS} days) away`,
  );
}

function checkDateField(checker: Checker, owner: Owner, path: string, name: string, what: string): void {
  const spec = knownField(checker, owner, path, name, what);
  if (spec && spec.type !== 'date') {
    report(checker, owner, path, 'not_a_date_field', `${owner.name} ${what} '${name}', which is not a date`);
  }
}

function checkUniqueHandles(
  checker: Checker,
  owner: Owner,
  path: string,
  handles: readonly string[],
  listName: string,
): void {
  const seen = new Set<string>();
  handles.forEach((handle, i) => {
    if (seen.has(handle) || (listName === 'conditions' && handle === ELSE_HANDLE)) {
      report(
        checker,
        owner,
        `${path}.${listName}[${i}].handle`,
        'duplicate_handle',
        handle === ELSE_HANDLE && listName === 'conditions'
          ? `${owner.name} uses the outcome name 'else', which is reserved for "none of the above"`
          : `${owner.name} has two outcomes named '${handle}'`,
      );
    }
    seen.add(handle);
  });
}

function checkApproval(checker: Checker, owner: Owner, at: string, config: NodeOfType<'approval'>['config']): void {
  checkDuration(checker, owner, `${at}.timeout`, config.timeout, 'waits for a decision for');
  const names = new Set<string>();
  config.parameters.forEach((parameter, i) => {
    const path = `${at}.parameters[${i}]`;
    const what = `${owner.name} parameter '${parameter.name}'`;
    if (names.has(parameter.name)) {
      report(
        checker,
        owner,
        `${path}.name`,
        'duplicate_parameter',
        `${owner.name} has two parameters named '${parameter.name}'`,
      );
    }
    names.add(parameter.name);
    if (parameter.type === 'text' || parameter.type === 'paragraph') {
      if (parameter.default.length > parameter.maxLength) {
        report(
          checker,
          owner,
          `${path}.default`,
          'default_out_of_bounds',
          `${what} has a default of ${parameter.default.length} characters, more than its maximum of ${parameter.maxLength}`,
        );
      }
      if (parameter.type === 'text' && /[\r\n]/.test(parameter.default)) {
        report(
          checker,
          owner,
          `${path}.default`,
          'default_out_of_bounds',
          `${what} is one line of text, but its default has line breaks`,
        );
      }
      return;
    }
    const { min, max } = boundsOf(parameter);
    const unit = parameter.type === 'percent' ? ' %' : '';
    if (min !== undefined && max !== undefined && min > max) {
      report(
        checker,
        owner,
        `${path}.min`,
        'invalid_bounds',
        `${what} has a minimum (${min}${unit}) above its maximum (${max}${unit})`,
      );
    } else if ((min !== undefined && parameter.default < min) || (max !== undefined && parameter.default > max)) {
      const range = [
        min !== undefined ? `at least ${min}${unit}` : '',
        max !== undefined ? `at most ${max}${unit}` : '',
      ]
        .filter(Boolean)
        .join(' and ');
      report(
        checker,
        owner,
        `${path}.default`,
        'default_out_of_bounds',
        `${what} has a default of ${parameter.default}${unit}, but it must be ${range}`,
      );
    }
  });
  let previous = config.decider;
  config.escalation.forEach((step, i) => {
    checkDuration(
      checker,
      owner,
      `${at}.escalation[${i}].timeout`,
      step.timeout,
      'waits for an escalated decision for',
    );
    if (step.to === previous) {
      report(
        checker,
        owner,
        `${at}.escalation[${i}].to`,
        'escalation_to_same_person',
        `${owner.name} escalates to ${PERSON_NAMES[step.to]}, who is already deciding it`,
      );
    }
    previous = step.to;
  });
}

/**
 * An email that reads {{ approval.<name> }} needs a value for it on every way the run can reach the email: each
 * path from the start must pass an approval step with a parameter of that name (its decision, or its default
 * on a rejection or timeout, is what the email shows).
 */
function checkApprovalValueRead(checker: Checker, email: PlaybookNode, path: string, name: string): void {
  const flow = checker.flow;
  if (!flow) return;
  const declares = (node: PlaybookNode | undefined) =>
    node?.type === 'approval' && node.config.parameters.some((p) => p.name === name);
  const targets = new Map<string, string[]>();
  for (const c of flow.connections) targets.set(c.source, [...(targets.get(c.source) ?? []), c.target]);
  // Forward from the start, never past an approval that sets the value: reaching the email means a path lacks it.
  const reached = new Set<string>([flow.startNodeId]);
  const pending = [flow.startNodeId];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (id === email.id) break;
    if (declares(flow.nodes.get(id))) continue;
    for (const next of targets.get(id) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        pending.push(next);
      }
    }
  }
  if (!reached.has(email.id)) return;
  // Which message: some approval before it has the parameter (a path goes around it), or none does.
  const sources = new Map<string, string[]>();
  for (const c of flow.connections) sources.set(c.target, [...(sources.get(c.target) ?? []), c.source]);
  const before = new Set<string>();
  const back = [email.id];
  for (let id = back.pop(); id !== undefined; id = back.pop()) {
    for (const source of sources.get(id) ?? []) {
      if (!before.has(source)) {
        before.add(source);
        back.push(source);
      }
    }
  }
  const someBefore = [...before].some((id) => declares(flow.nodes.get(id)));
  report(
    checker,
    { name: `'${email.label}'`, nodeId: email.id },
    path,
    'unknown_approval_parameter',
    someBefore
      ? `The '${email.label}' email uses {{approval.${name}}} but the run can reach it without passing an approval step with a parameter '${name}'`
      : `The '${email.label}' email uses {{approval.${name}}} but no approval step before it has a parameter '${name}'`,
  );
}

/**
 * assignOwner: a segment named twice (the second rule could never apply), and — when the context lists the
 * install's people (the server, at validate and publish) — CSMs and teams that do not exist or have nobody in them.
 */
function checkAssignOwner(
  checker: Checker,
  owner: Owner,
  at: string,
  config: NodeOfType<'assignOwner'>['config'],
): void {
  const people = checker.context.people;
  const lower = (email: string) => email.trim().toLowerCase();
  const checkChoice = (choice: OwnerChoice, path: string) => {
    if (!people) return;
    if (choice.kind === 'csm') {
      if (!people.csms.map(lower).includes(lower(choice.email)))
        report(
          checker,
          owner,
          `${path}.email`,
          'unknown_csm',
          `${owner.name} assigns ${choice.email}, who is not an active CSM of this install`,
        );
      return;
    }
    const team = Object.entries(people.teams).find(([manager]) => lower(manager) === lower(choice.team));
    if (!team) {
      report(
        checker,
        owner,
        `${path}.team`,
        'unknown_team',
        `${owner.name} assigns within the team of ${choice.team}, but no active manager has that email`,
      );
    } else if (team[1].length === 0) {
      report(
        checker,
        owner,
        `${path}.team`,
        'empty_team',
        `${owner.name} assigns within the team of ${choice.team}, which has no active CSMs`,
      );
    }
  };
  if (config.strategy !== 'bySegment') {
    checkChoice({ kind: 'team', team: config.team, pick: config.strategy }, `${at}`);
    return;
  }
  const seen = new Set<string>();
  config.segments.forEach((rule, i) => {
    if (seen.has(rule.segment)) {
      report(
        checker,
        owner,
        `${at}.segments[${i}].segment`,
        'duplicate_segment',
        `${owner.name} has two rules for segment ${rule.segment}; only the first would ever apply`,
      );
    }
    seen.add(rule.segment);
    checkChoice(rule.owner, `${at}.segments[${i}].owner`);
  });
  checkChoice(config.fallback, `${at}.fallback`);
}

/** A notify message fills plain values only (fill-message.ts), and the account fields it names must exist. */
function checkMessage(checker: Checker, owner: Owner, path: string, message: string): void {
  for (const placeholder of messagePlaceholders(message)) {
    if (!placeholder.valid) {
      report(
        checker,
        owner,
        path,
        'message_placeholder',
        `${owner.name} writes ${placeholder.text}: a message fills plain values only, such as {{ account.name }}, {{ trigger.data.score }} or {{ run.day }} (no filters or tags)`,
      );
      continue;
    }
    const [root, field] = placeholder.path.split('.');
    // name and externalId are the account's own, not fields, and every run's snapshot carries them.
    if (root === 'account' && field !== 'name' && field !== 'externalId')
      knownField(checker, owner, path, field!, 'writes account field');
    if (root === 'run' && field !== 'day' && field !== 'playbook')
      report(
        checker,
        owner,
        path,
        'message_placeholder',
        `${owner.name} writes ${placeholder.text}: a run offers {{ run.day }} and {{ run.playbook }}`,
      );
  }
}

function checkNode(checker: Checker, node: PlaybookNode, index: number): void {
  const owner: Owner = { name: `'${node.label}'`, nodeId: node.id };
  const at = `nodes[${index}].config`;
  switch (node.type) {
    case 'email': {
      const templates = checker.context.templates;
      if (!templates) return;
      if (!Object.prototype.hasOwnProperty.call(templates, node.config.template)) {
        report(
          checker,
          owner,
          `${at}.template`,
          'unknown_template',
          `The '${node.label}' email uses template '${node.config.template}' which does not exist`,
        );
        return;
      }
      const variables = templateVocabulary(checker.vocabulary);
      const approvalValues = new Set<string>();
      for (const variable of templates[node.config.template]?.variables ?? []) {
        const problem = templateVariableProblem(variables, variable);
        if (problem) {
          report(
            checker,
            owner,
            `${at}.template`,
            problem.code,
            `The '${node.label}' email uses {{${variable}}} but ${problem.reason}`,
          );
        } else if (variable.startsWith('approval.')) {
          approvalValues.add(variable.split('.')[1]!);
        }
      }
      for (const name of approvalValues) checkApprovalValueRead(checker, node, `${at}.template`, name);
      return;
    }
    case 'wait': {
      const wait = node.config;
      if (wait.kind === 'duration') checkDuration(checker, owner, `${at}.amount`, wait, 'waits');
      if (wait.kind === 'untilDate') {
        checkDateField(checker, owner, `${at}.field`, wait.field, 'waits for account field');
        checkOffset(checker, owner, `${at}.offsetDays`, wait.offsetDays, wait.field);
      }
      return;
    }
    case 'task':
      return checkDuration(checker, owner, `${at}.dueIn`, node.config.dueIn, 'is due in');
    case 'approval':
      return checkApproval(checker, owner, at, node.config);
    case 'branch':
      checkUniqueHandles(
        checker,
        owner,
        at,
        node.config.conditions.map((c) => c.handle),
        'conditions',
      );
      node.config.conditions.forEach((c, i) =>
        checkCondition(checker, owner, `${at}.conditions[${i}].when`, c.when, true),
      );
      return;
    case 'waitForEvent':
      checkCondition(checker, owner, `${at}.filter`, node.config.filter);
      return checkDuration(checker, owner, `${at}.timeout`, node.config.timeout, 'waits for the event for');
    case 'split': {
      checkUniqueHandles(
        checker,
        owner,
        at,
        node.config.variants.map((v) => v.handle),
        'variants',
      );
      const total = node.config.variants.reduce((sum, variant) => sum + variant.percent, 0);
      if (total !== 100) {
        report(
          checker,
          owner,
          `${at}.variants`,
          'split_not_100',
          `The percentages of '${node.label}' add up to ${total}%, not 100%`,
        );
      }
      return;
    }
    case 'updateField': {
      const spec = knownField(checker, owner, `${at}.field`, node.config.field, 'sets account field');
      if (!spec) return;
      if (spec.computed) {
        report(
          checker,
          owner,
          `${at}.field`,
          'read_only_field',
          `${owner.name} sets account field '${node.config.field}', which the health scorecard computes and would overwrite`,
        );
      } else if (!fieldHolds(spec, node.config.value)) {
        report(
          checker,
          owner,
          `${at}.value`,
          'field_type_mismatch',
          `${owner.name} sets account field '${node.config.field}' to ${JSON.stringify(node.config.value)}, but ${describeField(node.config.field, spec)}`,
        );
      }
      return;
    }
    case 'assignOwner':
      return checkAssignOwner(checker, owner, at, node.config);
    case 'notify':
      return checkMessage(checker, owner, `${at}.message`, node.config.message);
    case 'trigger':
    case 'webhook':
    case 'goal':
    case 'startPlaybook': // the other playbook is looked up when the step runs: it may be published later
    case 'end':
      return;
    default: {
      const unreachable: never = node;
      return unreachable;
    }
  }
}

function checkTrigger(checker: Checker, trigger: Trigger, index: number): void {
  const owner: Owner = { name: `Trigger ${index + 1}` };
  const at = `triggers[${index}]`;
  switch (trigger.type) {
    case 'event':
      return checkCondition(checker, owner, `${at}.filter`, trigger.filter);
    case 'fieldChanged':
      knownField(checker, owner, `${at}.field`, trigger.field, 'watches account field');
      return;
    case 'dateRelative':
      checkDateField(checker, owner, `${at}.field`, trigger.field, 'counts from account field');
      return checkOffset(checker, owner, `${at}.offsetDays`, trigger.offsetDays, trigger.field);
    case 'riskLevelEntered':
    case 'segmentEntered':
    case 'manual':
      return;
    default: {
      const unreachable: never = trigger;
      return unreachable;
    }
  }
}

function checkExit(checker: Checker, exit: ExitCriterion, index: number): void {
  const owner: Owner = { name: `Exit '${exit.label}'` };
  if (exit.kind === 'condition') checkCondition(checker, owner, `exit[${index}].when`, exit.when);
  else checkCondition(checker, owner, `exit[${index}].filter`, exit.filter);
}

export interface CheckedParts {
  nodes: readonly { node: PlaybookNode; index: number }[];
  /** How the steps connect, when the graph checks passed; needed for checks along paths. */
  graph?: { startNodeId: string; connections: readonly Connection[] };
  triggers: readonly { trigger: Trigger; index: number }[];
  exit: readonly { exit: ExitCriterion; index: number }[];
  enrollment: EnrollmentPolicy | undefined;
}

export function checkSemantics(
  parts: CheckedParts,
  vocabulary: AccountFieldVocabulary,
  context: CompileContext,
): Issue[] {
  const checker: Checker = {
    vocabulary,
    context,
    issues: [],
    ...(parts.graph && {
      flow: { ...parts.graph, nodes: new Map(parts.nodes.map(({ node }) => [node.id, node])) },
    }),
  };
  for (const { trigger, index } of parts.triggers) checkTrigger(checker, trigger, index);
  if (parts.enrollment?.mode === 'everyTime') {
    checkDuration(checker, { name: 'The enrollment cooldown' }, 'enrollment.cooldown', parts.enrollment.cooldown, 'is');
  }
  for (const { exit, index } of parts.exit) checkExit(checker, exit, index);
  for (const { node, index } of parts.nodes) checkNode(checker, node, index);
  return checker.issues;
}
