import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegoEngine, SchemaValidator, TemplateFile, type Engine } from '@aws/cloudformation-validate';

/** The offline CloudFormation check: cfn-lint's rules and the resource schemas, on a template's text. */
export interface CloudFormationChecker {
  /** Errors and warnings (INFO findings are advice) as `SEVERITY ruleId: message`; the file name picks YAML or JSON. */
  findings(text: string, file: string): string[];
  /** Frees the compiled rules and removes the checker's folder. */
  close(): void;
}

/** Builds both checkers (about 25 s together: their compiled rules live off-heap, so close() must be called). */
export function openCloudFormationChecker(prefix: string): CloudFormationChecker {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let engine: Engine | undefined;
  let schemas: SchemaValidator | undefined;
  const close = (): void => {
    engine?.free();
    schemas?.free();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    engine = new RegoEngine();
    schemas = new SchemaValidator();
  } catch (error) {
    close();
    throw error;
  }
  const [rules, resourceSchemas] = [engine, schemas];
  return {
    findings(text, file) {
      const path = join(dir, file);
      writeFileSync(path, text);
      const diagnostics = [...resourceSchemas.validate(new TemplateFile(path), 'us-east-1'), ...rules.validateStandard(new TemplateFile(path)).diagnostics];
      return diagnostics.filter((d) => d.severity !== 'INFO' && d.severity !== 'DEBUG').map((d) => `${d.severity} ${d.ruleId}: ${d.message}`);
    },
    close,
  };
}

/**
 * One checker for a whole test file: built in beforeAll, freed in afterAll. Call at the top of the file;
 * the returned findings() may be used from any test of it.
 */
export function useCloudFormationChecker(prefix: string): (text: string, file: string) => string[] {
  let checker: CloudFormationChecker | undefined;
  beforeAll(() => {
    checker = openCloudFormationChecker(prefix);
  }, 180_000);
  afterAll(() => {
    checker?.close();
  });
  return (text, file) => {
    if (!checker) throw new Error('the CloudFormation checker is used outside the tests of the file that opened it');
    return checker.findings(text, file);
  };
}
