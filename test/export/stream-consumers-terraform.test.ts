import { parse } from '@cdktf/hcl2json';
import { checkExportText, terraformConfig } from '../../src/toolkit';
import { CONSUMER_CASES } from './stream-consumer-fixtures';

type Block = Record<string, unknown>;
const one = (list: unknown): Block => (list as Block[])[0] as Block;

describe.each(CONSUMER_CASES)('Terraform stream consumers, $name model', ({ definition, options }) => {
  const hcl = terraformConfig(definition, options);
  let json: { resource: Record<string, Record<string, Block[]>>; data: Record<string, Record<string, Block[]>>; variable: Record<string, Block[]>; output: Record<string, Block[]> };
  beforeAll(async () => {
    json = (await parse('main.tf', hcl)) as typeof json;
  });

  it('parses back (hcl2json and the built-in check) with a mapping per consumer on the table\'s stream, each setting in its argument', async () => {
    await expect(checkExportText('terraform', hcl)).resolves.toBeUndefined();
    const mappings = json.resource.aws_lambda_event_source_mapping ?? {};
    expect(Object.keys(mappings).sort()).toEqual(['comment_counts', 'notify', 'ticket_audit']);
    expect(one(mappings.ticket_audit)).toEqual({
      event_source_arn: '${aws_dynamodb_table.table.stream_arn}',
      function_name: '${var.ticket_audit_function_name}',
      starting_position: 'TRIM_HORIZON',
      batch_size: 50,
      maximum_batching_window_in_seconds: 5,
      maximum_retry_attempts: 3,
      maximum_record_age_in_seconds: 3600,
      bisect_batch_on_function_error: true,
      parallelization_factor: 2,
      function_response_types: ['ReportBatchItemFailures'],
      destination_config: [{ on_failure: [{ destination_arn: '${aws_sqs_queue.ticket_audit_failures.arn}' }] }],
      depends_on: ['${aws_iam_role_policy.ticket_audit_stream_consumer}'],
    });
    expect(one(mappings.comment_counts)).toMatchObject({ batch_size: 100, starting_position: 'LATEST', maximum_retry_attempts: -1, maximum_record_age_in_seconds: -1, bisect_batch_on_function_error: false, parallelization_factor: 1 });
    expect(one(mappings.comment_counts).function_response_types).toBeUndefined();
    expect(one(mappings.comment_counts).destination_config).toBeUndefined();
    expect(one(mappings.notify).destination_config).toEqual([{ on_failure: [{ destination_arn: '${aws_sns_topic.notify_failures.arn}' }] }]);
    expect(Object.keys(json.variable).sort()).toEqual(['comment_counts_function_name', 'comment_counts_function_role_name', 'notify_function_name', 'notify_function_role_name', 'ticket_audit_function_name', 'ticket_audit_function_role_name']);
    expect(one(json.resource.aws_sqs_queue?.ticket_audit_failures)).toMatchObject({ message_retention_seconds: 1209600, sqs_managed_sse_enabled: true });
    expect(Object.keys(json.resource.aws_sns_topic ?? {})).toEqual(['notify_failures']);
  });

  it('attaches a least-privilege policy to each function\'s role: this table\'s stream and its own destination, nothing on *', () => {
    const policies = json.resource.aws_iam_role_policy ?? {};
    expect(one(policies.ticket_audit_stream_consumer)).toEqual({
      name: '${aws_dynamodb_table.table.name}-ticket-audit-stream-consumer',
      role: '${var.ticket_audit_function_role_name}',
      policy: '${data.aws_iam_policy_document.ticket_audit_stream_consumer.json}',
    });
    const statements = (n: string) => (one(json.data.aws_iam_policy_document?.[n]).statement as Block[]).map((s) => [s.sid, s.actions, s.resources]);
    const read = ['ReadTableStream', ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], ['${aws_dynamodb_table.table.stream_arn}']];
    const list = ['ListTableStreams', ['dynamodb:ListStreams'], ['${aws_dynamodb_table.table.arn}/stream/*']];
    expect(statements('ticket_audit_stream_consumer')).toEqual([read, list, ['SendFailedRecordsToQueue', ['sqs:SendMessage'], ['${aws_sqs_queue.ticket_audit_failures.arn}']]]);
    expect(statements('comment_counts_stream_consumer')).toEqual([read, list]);
    expect(statements('notify_stream_consumer')).toEqual([read, list, ['PublishFailedRecordsToTopic', ['sns:Publish'], ['${aws_sns_topic.notify_failures.arn}']]]);
    expect(JSON.stringify(json.data)).not.toMatch(/"\*"|dynamodb:\*/);
  });
});
