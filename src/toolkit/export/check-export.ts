import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { ExportError } from './provisioned-plan';
import { validateWorkbenchModel } from './workbench';

export type ExportTextFormat = 'cloudformation-yaml' | 'cloudformation-json' | 'cdk' | 'terraform' | 'workbench' | 'iam';

/** Every number in a value is finite (JSON has no Infinity or NaN; YAML's `.inf` is no capacity). */
export function assertFinite(value: unknown, path = '(root)'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ExportError(`${path}: ${value} is not a finite number; nothing is written`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertFinite(v, `${path}[${i}]`));
    return;
  }
  if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertFinite(v, `${path}.${k}`);
}

/** Optional checkers: used when installed (they are in a development install), else the built-in check. */
async function optional<T>(name: string): Promise<T | undefined> {
  try {
    return (await import(name)) as T;
  } catch {
    return undefined;
  }
}

/**
 * What the exports hold in HCL, checked without a parser: every quoted string uses only HCL's
 * escapes, holds no raw control character, and interpolates only an attribute of an `aws_` resource (what the exports reference); braces
 * and brackets balance outside strings.
 */
function checkHclText(text: string): void {
  const depth: string[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (c === '\n') line += 1;
    if (c === '#') {
      while (i < text.length && text.charAt(i) !== '\n') i += 1;
      line += 1;
      continue;
    }
    if (c === '{' || c === '[') depth.push(c === '{' ? '}' : ']');
    if (c === '}' || c === ']') if (depth.pop() !== c) throw new ExportError(`line ${line}: unbalanced ${c}`);
    if (c !== '"') continue;
    for (i += 1; ; i += 1) {
      const d = text.charAt(i);
      if (i >= text.length || d === '\n') throw new ExportError(`line ${line}: unterminated string`);
      if (d === '"') break;
      // eslint-disable-next-line no-control-regex -- control characters are what it looks for
      if (/[\u0000-\u001f\u007f-\u009f]/.test(d)) throw new ExportError(`line ${line}: raw control character U+${d.charCodeAt(0).toString(16).padStart(4, '0')} in a string`);
      if (d === '\\') {
        const e = /^\\(?:[nrt"\\]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/.exec(text.slice(i));
        if (!e) throw new ExportError(`line ${line}: invalid escape ${JSON.stringify(text.slice(i, i + 2))}`);
        i += e[0].length - 1;
      } else if ((d === '$' || d === '%') && text.charAt(i + 1) === d && text.charAt(i + 2) === '{') {
        i += 2;
      } else if ((d === '$' || d === '%') && text.charAt(i + 1) === '{') {
        const ref = /^\$\{aws_[a-z0-9_]+\.[a-z0-9_]+\.[a-z_]+\}/.exec(text.slice(i));
        if (!ref) throw new ExportError(`line ${line}: a template sequence ${JSON.stringify(text.slice(i, i + 12))} in a string`);
        i += ref[0].length - 1;
      }
    }
  }
  if (depth.length) throw new ExportError('unbalanced braces at the end of the file');
}

/**
 * Parses an export back before it is written: CloudFormation as YAML or JSON, equal to the
 * template it came from and with finite numbers only; Terraform with `@cdktf/hcl2json` (when
 * installed) and the built-in HCL check; CDK with TypeScript's parser (when installed); the
 * Workbench model against its schema; the IAM policy as JSON. Throws ExportError naming the format.
 */
export async function checkExportText(format: ExportTextFormat, text: string, source?: unknown): Promise<void> {
  const fail = (message: string): never => {
    throw new ExportError(`${format} export does not parse back, nothing written: ${message}`);
  };
  try {
    switch (format) {
      case 'cloudformation-yaml':
      case 'cloudformation-json': {
        const parsed: unknown = format === 'cloudformation-json' ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true, strict: true });
        assertFinite(parsed);
        if (source !== undefined && !isDeepStrictEqual(parsed, JSON.parse(JSON.stringify(source)))) fail('it reads back as another template');
        return;
      }
      case 'terraform': {
        checkHclText(text);
        const hcl = await optional<{ parse(file: string, text: string): Promise<unknown> }>('@cdktf/hcl2json');
        if (hcl) await hcl.parse('main.tf', text);
        return;
      }
      case 'cdk': {
        const ts = await optional<typeof import('typescript')>('typescript');
        if (!ts) return;
        const out = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
        const error = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
        if (error) fail(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
        return;
      }
      case 'workbench': {
        const problems = validateWorkbenchModel(JSON.parse(text));
        if (problems.length) fail(problems.slice(0, 3).join('; '));
        return;
      }
      case 'iam':
        assertFinite(JSON.parse(text));
        return;
    }
  } catch (error) {
    if (error instanceof ExportError && error.message.startsWith(`${format} export`)) throw error;
    fail(error instanceof Error ? error.message : String(error));
  }
}
