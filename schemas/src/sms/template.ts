/**
 * SMS template syntax: literal text with `{variable}` placeholders (`[a-z][a-z_.]*`); `{{` and `}}`
 * stand for literal braces. Parsing never throws: it returns the parts or the first syntax error.
 */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'var'; readonly name: string; readonly offset: number };

export type ParsedTemplate =
  | { readonly ok: true; readonly parts: readonly TemplatePart[] }
  | {
      readonly ok: false;
      readonly offset: number;
      readonly reason: 'unclosed_brace' | 'unopened_brace' | 'bad_variable_name';
    };

const NAME = /^[a-z][a-z_]*(\.[a-z][a-z_]*)*$/;

export function parseTemplate(source: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    const nextCh = source[i + 1];
    if ((ch === '{' && nextCh === '{') || (ch === '}' && nextCh === '}')) {
      literal += ch;
      i += 2;
    } else if (ch === '{') {
      const close = source.indexOf('}', i + 1);
      if (close < 0) return { ok: false, offset: i, reason: 'unclosed_brace' };
      const name = source.slice(i + 1, close).trim();
      if (!NAME.test(name)) return { ok: false, offset: i, reason: 'bad_variable_name' };
      if (literal !== '') parts.push({ kind: 'text', text: literal });
      literal = '';
      parts.push({ kind: 'var', name, offset: i });
      i = close + 1;
    } else if (ch === '}') {
      return { ok: false, offset: i, reason: 'unopened_brace' };
    } else {
      literal += ch;
      i += 1;
    }
  }
  if (literal !== '') parts.push({ kind: 'text', text: literal });
  return { ok: true, parts };
}

export function templateVariableNames(parts: readonly TemplatePart[]): string[] {
  return [...new Set(parts.flatMap((p) => (p.kind === 'var' ? [p.name] : [])))];
}

/** Fill the placeholders; variables without a value render empty and are reported as missing. */
export function renderTemplate(
  parts: readonly TemplatePart[],
  values: Readonly<Record<string, string>>,
): { text: string; missing: string[] } {
  const missing: string[] = [];
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') out += part.text;
    else if (Object.prototype.hasOwnProperty.call(values, part.name)) out += values[part.name];
    else if (!missing.includes(part.name)) missing.push(part.name);
  }
  return { text: out, missing };
}
