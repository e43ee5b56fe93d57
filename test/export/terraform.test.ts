import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { terraformConfig } from '../../src/toolkit';
import { MODELS, variants } from './export-fixtures';

type Block = Record<string, unknown>;
const one = (list: unknown): Block => (list as Block[])[0] as Block;

// `terraform fmt -check` when a terraform binary is on PATH (it is not on every machine).
const terraform = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'terraform')).find((p) => existsSync(p));

function fmtCheck(hcl: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'stk-tf-'));
  try {
    writeFileSync(join(dir, 'main.tf'), hcl);
    return spawnSync(terraform as string, ['fmt', '-check', join(dir, 'main.tf')], { stdio: 'pipe', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } }).status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(MODELS)('Terraform export of the %s model', (name, model) => {
  for (const v of variants(model, `${name}-table`)) {
    it(`${v.label}: parses as HCL and declares every key, GSI with its projection, TTL, stream and PITR`, async () => {
      const hcl = terraformConfig(v.definition, v.options);
      const json = (await parse('main.tf', hcl)) as { resource: Record<string, Record<string, Block[]>> };
      const table = one(json.resource.aws_dynamodb_table?.table);
      const input = v.definition.input;
      const key = (schema: typeof input.KeySchema, type: string) => schema?.find((k) => k.KeyType === type)?.AttributeName;
      expect(table.name).toBe(input.TableName);
      expect(table.hash_key).toBe(key(input.KeySchema, 'HASH'));
      expect(table.range_key).toBe(key(input.KeySchema, 'RANGE'));
      expect((table.attribute as Block[]).map((a) => [a.name, a.type])).toEqual((input.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
      expect((table.global_secondary_index as Block[]).map((g) => ({ name: g.name, hash: g.hash_key, range: g.range_key, projection: g.projection_type, include: g.non_key_attributes }))).toEqual(
        (input.GlobalSecondaryIndexes ?? []).map((g) => ({ name: g.IndexName, hash: key(g.KeySchema, 'HASH'), range: key(g.KeySchema, 'RANGE'), projection: g.Projection?.ProjectionType, include: g.Projection?.NonKeyAttributes })),
      );
      expect(table.ttl === undefined ? undefined : one(table.ttl)).toEqual(v.definition.ttlAttribute ? { attribute_name: v.definition.ttlAttribute, enabled: true } : undefined);
      expect([table.stream_enabled, table.stream_view_type]).toEqual([true, input.StreamSpecification?.StreamViewType]);
      expect(one(table.point_in_time_recovery)).toEqual({ enabled: true });
      expect(one(table.server_side_encryption)).toEqual({ enabled: true });
      expect(table.deletion_protection_enabled).toBe(true);
      expect(table.billing_mode).toBe(input.BillingMode);
      const alarms = Object.keys(json.resource.aws_cloudwatch_metric_alarm ?? {});
      const indexes = 1 + (input.GlobalSecondaryIndexes?.length ?? 0);
      expect(alarms).toHaveLength(2 + (v.label === 'provisioned' ? indexes * 2 : 0));
      if (v.options.plan) {
        const targets = json.resource.aws_appautoscaling_target ?? {};
        expect(Object.keys(targets)).toHaveLength(indexes * 2);
        expect(Object.keys(json.resource.aws_appautoscaling_policy ?? {})).toEqual(Object.keys(targets));
        const tableRead = one(targets.table_read);
        expect([tableRead.min_capacity, tableRead.max_capacity]).toEqual([v.options.plan.indexes[0]?.read.min, v.options.plan.indexes[0]?.read.max]);
        expect(tableRead.resource_id).toBe('table/${aws_dynamodb_table.table.name}');
        expect(one(table.lifecycle).ignore_changes).toEqual(['${read_capacity}', '${write_capacity}']);
      }
      if (terraform) expect(fmtCheck(hcl)).toBe(0);
    });
  }
});

describe('the checks can fail', () => {
  it('the HCL parser rejects a broken file', async () => {
    await expect(parse('main.tf', 'resource "aws_dynamodb_table" "table" {\n  name = \n')).rejects.toBeDefined();
  });

  // Only where the binary is: the issue asks not to require it.
  if (terraform) it('terraform fmt -check rejects a misaligned file', () => {
    const [, model] = MODELS[1] as (typeof MODELS)[number];
    const hcl = terraformConfig((variants(model, 'fmt-table')[0] as ReturnType<typeof variants>[number]).definition);
    expect(fmtCheck(hcl.replace(/name(\s+)= "fmt-table"/, 'name = "fmt-table"'))).not.toBe(0);
  });
});
