// Notify messages name account data the way emails do — "{{ account.name }} answered NPS {{ trigger.data.score }}"
// — but are filled by the interpreter itself, from what the run knows (the account as enrolled, the trigger, the
// day): the Temporal run and the preview then say exactly the same words, and the workflow needs no template engine.
// Plain values only: no filters or tags, which the compiler refuses on the step.

const PLACEHOLDER = /\{\{\s*(.*?)\s*\}\}/g;
/** account.<field>, trigger.<path>, run.day or run.playbook. */
const PATH = /^(account|trigger|run)(\.[A-Za-z_$][\w$-]*)+$/;

export interface MessageScope {
  account: Readonly<Record<string, unknown>>;
  trigger?: unknown;
  run: { playbook: string; day: number };
}

/** Each {{ … }} of a message, as written, and whether it is a path a message may fill. */
export function messagePlaceholders(message: string): { text: string; path: string; valid: boolean }[] {
  return [...message.matchAll(PLACEHOLDER)].map((m) => ({ text: m[0], path: m[1]!, valid: PATH.test(m[1]!) }));
}

function lookup(scope: MessageScope, path: string): unknown {
  const [root, ...keys] = path.split('.');
  let value: unknown = root === 'account' ? scope.account : root === 'trigger' ? scope.trigger : scope.run;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The message with each placeholder replaced by its value; missing values, objects and lists become nothing. */
export function fillMessage(message: string, scope: MessageScope): string {
  return message.replace(PLACEHOLDER, (whole, path: string) => {
    if (!PATH.test(path)) return whole;
    const value = lookup(scope, path);
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
  });
}
