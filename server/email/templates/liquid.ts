import { Liquid, Tag, type Template, type TagToken, type TopLevelToken } from 'liquidjs';
import { LOCALE_NAMES, MAX_BODY_SOURCE, type EmailLocale } from '../../../engine/templates/schema.js';

// The Liquid side of email templates: one configured engine per (output, locale), parse errors a CS ops person
// can act on, the variables a template uses, and limits so that no template can hang or exhaust a worker.

/** Templates longer than this are refused before parsing (the schema already caps a body at 50,000 characters). */
export const PARSE_LIMIT = MAX_BODY_SOURCE * 2;
/** Milliseconds one render may take; real emails render in well under 10 ms. */
export const RENDER_TIME_LIMIT_MS = 1_000;
/** liquidjs' allocation budget (array items and string lengths created by filters and ranges). */
export const RENDER_MEMORY_LIMIT = 5_000_000;
/** Characters of rendered Markdown (before the layout); Gmail clips an HTML email at about 100 KB anyway. */
export const MAX_RENDERED_LENGTH = 200_000;

/**
 * What the output of a `{{ … }}` is escaped for:
 * - `html`: HTML-escaped (`<` → `&lt;`) *and* Markdown-escaped (`*` → `\*`), because the rendered Liquid is Markdown
 *   source: data must be shown as typed, never turned into HTML, bold text or a link. markdown-it reads `&lt;` as
 *   the character `<` and writes it back once as `&lt;`, so nothing is escaped twice.
 * - `text`: Markdown-escaped only; the plain-text part is made from the same Markdown.
 * - `subject`: nothing; a subject is plain text (`Tom & Jerry` stays as is).
 */
export type OutputMode = 'html' | 'text' | 'subject';

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// Every ASCII punctuation character may be backslash-escaped in CommonMark, and an escaped one never starts markup.
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

function stringOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringOf).join('');
  if (typeof value === 'object') return '';
  return String(value);
}

/** Data may hold line breaks (a signature); keep them as breaks, never as indentation or blank-line structure. */
function normalizeLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]+/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
}

export function escapeForMarkdownHtml(value: unknown): string {
  return normalizeLines(stringOf(value)).replace(ASCII_PUNCTUATION, (c) => HTML_ENTITIES[c] ?? `\\${c}`);
}

export function escapeForMarkdownText(value: unknown): string {
  return normalizeLines(stringOf(value)).replace(ASCII_PUNCTUATION, (c) => `\\${c}`);
}

const ESCAPES: Record<OutputMode, ((value: unknown) => string) | undefined> = {
  html: escapeForMarkdownHtml,
  text: escapeForMarkdownText,
  subject: undefined,
};

// Partials would read files (or other templates) from the server; an email template is self-contained.
class RefusedTag extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    throw new Error(`the {% ${token.name} %} tag is not available in email templates`);
  }
  *render(): Generator<unknown, void, unknown> {}
}

function createLiquid(mode: OutputMode, locale: EmailLocale): Liquid {
  const liquid = new Liquid({
    outputEscape: ESCAPES[mode],
    strictFilters: true,
    // Unknown names are refused when a template is saved (and by the playbook compiler); at send time a known
    // variable without a value for this account (no renewal date yet) prints nothing instead of failing the email.
    strictVariables: false,
    ownPropertyOnly: true,
    // `{% if csm.booking_link %}` must be false for an empty link: Liquid's Ruby truthiness makes "" true, which
    // rendered an empty "Book a call" link for every CSM without one. Template writers read `if` as "if it has a
    // value", which is JavaScript's truthiness ("" and 0 are false).
    jsTruthy: true,
    // No file system: an empty in-memory map and no relative paths, so nothing on disk is ever read.
    templates: {},
    relativeReference: false,
    dynamicPartials: false,
    cache: false,
    // Dates in account data are calendar dates (YYYY-MM-DD); formatting them must not shift them by the
    // worker's time zone. Month and day names follow the email's language.
    timezoneOffset: 0,
    locale,
    parseLimit: PARSE_LIMIT,
    renderLimit: RENDER_TIME_LIMIT_MS,
    memoryLimit: RENDER_MEMORY_LIMIT,
  });
  for (const tag of ['include', 'render', 'layout']) liquid.registerTag(tag, RefusedTag);
  // Output is always escaped for where it goes; `| escape` out of habit would escape twice, and `| raw` would let
  // account data write Markdown links. Both are kept as names (templates using them still parse) and do nothing.
  for (const filter of ['escape', 'escape_once', 'raw']) liquid.registerFilter(filter, (value: unknown) => value);
  return liquid;
}

const engines = new Map<string, Liquid>();

export function liquidFor(mode: OutputMode, locale: EmailLocale): Liquid {
  const id = `${mode}:${locale}`;
  let liquid = engines.get(id);
  if (!liquid) {
    liquid = createLiquid(mode, locale);
    engines.set(id, liquid);
  }
  return liquid;
}

// ---- Errors ------------------------------------------------------------------------------------------------

export type TemplateField = 'subject' | 'body';

export interface TemplatePlace {
  locale: EmailLocale;
  field: TemplateField;
}

export type TemplateErrorCode = 'template_syntax' | 'template_render' | 'template_too_heavy' | 'template_too_long';

/** A template that cannot be parsed or rendered; its message names the language, the part and the line. */
export class TemplateError extends Error {
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    readonly place?: TemplatePlace,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** "Spanish body", "English subject". */
export function describePlace(place: TemplatePlace): string {
  return `${LOCALE_NAMES[place.locale]} ${place.field}`;
}

export function positionPrefix(place: TemplatePlace, line?: number, column?: number): string {
  return `${describePlace(place)}${line === undefined ? '' : `, line ${line}${column === undefined ? '' : `, column ${column}`}`}`;
}

// liquidjs' messages are written for developers ("tag {% if x %} not closed, line:3, col:2"); these say the same
// to a person editing an email.
function plainLiquidMessage(raw: string): string {
  const message = raw.replace(/, (?:line|file):.*$/s, '');
  const rewrites: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^tag "(.+)" not found$/, (m) => `there is no tag {% ${m[1]} %}`],
    [/^undefined filter: (.+)$/, (m) => `there is no filter '${m[1]}'`],
    [/^tag (\{%-?\s*(\w+).*%\}) not closed$/s, (m) => `${m[1]} is never closed: add {% end${m[2]} %}`],
    [/^output "(.+)" not closed$/s, (m) => `${m[1]} is never closed: add }}`],
    [/^tag "(.+)" not closed$/s, (m) => `${m[1]} is never closed: add %}`],
    [/^memory alloc limit exceeded$/, () => 'it builds more data than an email can hold (a loop over too many items?)'],
    [
      /^template render limit exceeded$/,
      () => `it took longer than ${RENDER_TIME_LIMIT_MS / 1000} s to render (a loop that runs too many times?)`,
    ],
    [/^parse length limit exceeded$/, () => 'it is too long'],
  ];
  for (const [pattern, rewrite] of rewrites) {
    const match = pattern.exec(message);
    if (match) return rewrite(match);
  }
  return message;
}

interface LiquidErrorLike {
  message: string;
  token?: { getPosition?: () => number[] };
  originalError?: Error;
}

export function templateErrorFrom(error: unknown, place: TemplatePlace, phase: 'parse' | 'render'): TemplateError {
  if (error instanceof TemplateError) return error;
  const e = error as LiquidErrorLike;
  const [line, column] = e.token?.getPosition?.() ?? [];
  const raw = e.originalError?.message ?? e.message ?? String(error);
  const message = plainLiquidMessage(raw);
  const heavy = /limit exceeded$/.test(raw);
  const code: TemplateErrorCode = heavy
    ? 'template_too_heavy'
    : phase === 'parse'
      ? 'template_syntax'
      : 'template_render';
  return new TemplateError(code, `${positionPrefix(place, line, column)}: ${message}`, place, line, column);
}

// ---- Parsing and static analysis ---------------------------------------------------------------------------

/** Parses for one output: the escaping of `{{ … }}` is fixed when a template is parsed, so parse and render match. */
export function parseTemplate(source: string, place: TemplatePlace, mode: OutputMode = 'subject'): Template[] {
  try {
    return liquidFor(mode, place.locale).parse(source);
  } catch (error) {
    throw templateErrorFrom(error, place, 'parse');
  }
}

export interface UsedVariable {
  /** As the vocabulary names it: `account.name`, `csm.booking_link`. */
  path: string;
  line: number;
  column: number;
}

/** The variables a parsed template reads from its data (not the ones it assigns or loops over itself). */
export function variablesUsed(templates: Template[], locale: EmailLocale): UsedVariable[] {
  const analysis = liquidFor('subject', locale).analyzeSync(templates, { partials: false });
  return Object.values(analysis.globals)
    .flat()
    .map((variable) => ({ path: String(variable), line: variable.location.row, column: variable.location.col }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
