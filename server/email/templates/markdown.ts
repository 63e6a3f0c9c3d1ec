import { compile } from 'html-to-text';
import MarkdownIt, { type Token } from 'markdown-it';

// The body's Markdown → HTML with inline styles (mail clients drop <style> blocks and classes more often than
// not), and → readable plain text that keeps every link's address.

// html: false — HTML typed into a template, or arriving from data, is shown as text, never interpreted.
// breaks: true — a line break in the body is a line break in the email (signatures, addresses), as CS ops expect.
// linkify — a URL the author typed becomes a link; URLs inside data are escaped and stay text.
const markdown = new MarkdownIt('default', { html: false, breaks: true, linkify: true, typographer: false });

export const FONT_STACK = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const LINK_COLOR = '#2563eb';
export const TEXT_COLOR = '#1f2933';

const STYLES: Record<string, string> = {
  paragraph_open: 'margin: 0 0 16px 0;',
  bullet_list_open: 'margin: 0 0 16px 0; padding-left: 24px;',
  ordered_list_open: 'margin: 0 0 16px 0; padding-left: 24px;',
  list_item_open: 'margin: 0 0 6px 0;',
  blockquote_open: 'margin: 0 0 16px 0; padding: 4px 0 4px 16px; border-left: 3px solid #d2d6dc; color: #52606d;',
  hr: 'border: 0; border-top: 1px solid #e4e7eb; margin: 24px 0;',
  link_open: `color: ${LINK_COLOR}; text-decoration: underline;`,
  code_inline:
    "font-family: Menlo, Consolas, 'Courier New', monospace; font-size: 14px; background-color: #f1f3f5; padding: 1px 4px; border-radius: 3px;",
  fence: "font-family: Menlo, Consolas, 'Courier New', monospace; font-size: 14px;",
  code_block: "font-family: Menlo, Consolas, 'Courier New', monospace; font-size: 14px;",
  table_open: 'border-collapse: collapse; margin: 0 0 16px 0;',
  th_open: 'border: 1px solid #e4e7eb; padding: 6px 10px; text-align: left;',
  td_open: 'border: 1px solid #e4e7eb; padding: 6px 10px;',
  image: 'max-width: 100%; height: auto; border: 0;',
};
const HEADING_STYLES: Record<string, string> = {
  h1: 'margin: 0 0 16px 0; font-size: 24px; line-height: 1.3; font-weight: 700;',
  h2: 'margin: 24px 0 12px 0; font-size: 20px; line-height: 1.3; font-weight: 700;',
  h3: 'margin: 20px 0 8px 0; font-size: 17px; line-height: 1.4; font-weight: 700;',
};

function styleTokens(tokens: Token[]): void {
  for (const token of tokens) {
    const style = token.type === 'heading_open' ? (HEADING_STYLES[token.tag] ?? HEADING_STYLES.h3) : STYLES[token.type];
    if (style) token.attrSet('style', style);
    if (token.children) styleTokens(token.children);
  }
}
markdown.core.ruler.push('inline_styles', (state) => {
  styleTokens(state.tokens);
});

export function markdownToHtml(source: string): string {
  return markdown.render(source);
}

// ---- Plain text --------------------------------------------------------------------------------------------

// The text part is the same Markdown rendered to HTML and read back as text by html-to-text, so both parts always
// agree on what the body says. Lines are not wrapped (mail clients wrap to their own width; a hard wrap at 80
// breaks on phones and cuts long links), links keep their address in brackets unless the label is the address.
const HEADING = { leadingLineBreaks: 2, trailingLineBreaks: 2, uppercase: false };
const toText = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { linkBrackets: ['(', ')'], hideLinkHrefIfSameAsText: true } },
    { selector: 'img', options: { linkBrackets: ['(', ')'] } },
    { selector: 'ul', options: { itemPrefix: '- ' } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: HEADING })),
    { selector: 'hr', options: { length: 4 } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
});

/** Markdown → text a person reads comfortably in a plain-text mail client; every link keeps its address. */
export function markdownToText(source: string): string {
  return toText(markdown.render(source)).trim();
}
