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

function inlineText(tokens: Token[]): string {
  let out = '';
  const links: { href: string; start: number }[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'code_inline':
        out += token.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'image': {
        const alt = token.children ? inlineText(token.children) : token.content;
        const src = String(token.attrGet('src') ?? '');
        out += alt ? `${alt} (${src})` : src;
        break;
      }
      case 'link_open':
        links.push({ href: String(token.attrGet('href') ?? ''), start: out.length });
        break;
      case 'link_close': {
        const link = links.pop();
        if (!link) break;
        const label = out.slice(link.start);
        const address = link.href.replace(/^mailto:/, '');
        if (label.trim() !== address && label.trim() !== link.href) out += ` (${address})`;
        break;
      }
      default:
        break; // emphasis and the like carry no text of their own
    }
  }
  return out;
}

interface ListState {
  ordered: boolean;
  next: number;
}

/** Markdown → text a person reads comfortably in a plain-text mail client; every link keeps its address. */
export function markdownToText(source: string): string {
  const tokens = markdown.parse(source, {});
  const blocks: string[] = [];
  const lists: ListState[] = [];
  let quoteDepth = 0;
  let itemPrefix: string | undefined;
  let tableRow: string[] | undefined;

  const push = (text: string, tight = false) => {
    const indent = '   '.repeat(Math.max(0, lists.length - 1));
    const prefix = itemPrefix ?? (lists.length > 0 ? `${indent}   ` : '');
    itemPrefix = undefined;
    const continuation = lists.length > 0 ? `${indent}   ` : '';
    let lines = text.split('\n').map((line, i) => (i === 0 ? prefix : continuation) + line);
    if (quoteDepth > 0) lines = lines.map((line) => `${'> '.repeat(quoteDepth)}${line}`);
    blocks.push(lines.join('\n') + (tight ? '\n' : '\n\n'));
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'bullet_list_open':
        lists.push({ ordered: false, next: 1 });
        break;
      case 'ordered_list_open':
        lists.push({ ordered: true, next: Number(token.attrGet('start') ?? 1) || 1 });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (lists.length === 0 && blocks.length > 0) blocks[blocks.length - 1] = `${blocks.at(-1)!.trimEnd()}\n\n`;
        break;
      case 'list_item_open': {
        const list = lists.at(-1);
        const indent = '   '.repeat(Math.max(0, lists.length - 1));
        itemPrefix = list?.ordered ? `${indent}${list.next++}. ` : `${indent}- `;
        break;
      }
      case 'blockquote_open':
        quoteDepth++;
        break;
      case 'blockquote_close':
        quoteDepth--;
        break;
      case 'inline': {
        const text = inlineText(token.children ?? []);
        if (tableRow) tableRow.push(text);
        else push(text, lists.length > 0);
        break;
      }
      case 'fence':
      case 'code_block':
        push(token.content.replace(/\n$/, ''));
        break;
      case 'hr':
        push('----');
        break;
      case 'tr_open':
        tableRow = [];
        break;
      case 'tr_close':
        push(tableRow?.join(' | ') ?? '', true);
        tableRow = undefined;
        break;
      case 'table_close':
        blocks.push('\n');
        break;
      default:
        break;
    }
  }
  return blocks
    .join('')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
