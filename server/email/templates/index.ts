// Email templates: Liquid + Markdown → subject, responsive HTML and plain text. See docs/architecture.md.
export { checkEmailTemplate, type TemplateCheck } from './check.js';
export { emailLayout, type EmailFooter } from './layout.js';
export { TemplateError, type TemplateErrorCode, type TemplatePlace } from './liquid.js';
export { chooseLocale, emailLocaleOf, type LocaleChoice, type LocalePreferences, type LocaleSource } from './locale.js';
export { renderEmailInThread, type RenderEmailInput, type RenderedEmail } from './render.js';
export { closeRenderPool, renderEmail, RENDER_BUDGET_MS } from './render-pool.js';
export {
  SAMPLE_TEMPLATE_INPUT,
  templateVariables,
  type TemplateData,
  type TemplateValue,
  type TemplateVariablesInput,
} from './variables.js';
