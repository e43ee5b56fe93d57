import { parse } from 'yaml';
import { renderExport, runExport, type ExportCommandOptions } from '../../src/cli/export';
import { ExportError, iamPolicy, type CloudFormationTemplate, type IamPolicyExport, type Model } from '../../src/toolkit';
import { ticketingModel } from '../fixtures/ticketing-model';
import { CONSUMERS, PARTIQL_CATALOG } from './stream-consumer-fixtures';

const TABLE = 'consumer-table';
const ARN = `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`;
/** The ticketing model with the three consumers and PartiQL twins of its patterns (as a user's model declares them). */
const ticketing = ticketingModel as unknown as Model;
const model = { ...ticketing, catalog: [...ticketing.catalog, ...PARTIQL_CATALOG], streamConsumers: CONSUMERS } as Model;
const options = (o: Partial<ExportCommandOptions>): ExportCommandOptions => ({ format: 'iam', json: false, size: 0, ...o });

describe('IAM export of stream consumers (--format iam)', () => {
  const exported = (extra: Partial<Parameters<typeof iamPolicy>[1]> = {}) => iamPolicy(model, { tableName: TABLE, region: 'us-east-1', accountId: '123456789012', ...extra });

  it('gives each consumer its own policy: the stream actions on this table\'s streams only', () => {
    const { streamConsumers, policy } = exported();
    expect(streamConsumers.map((c) => c.name)).toEqual(['ticket-audit', 'comment_counts', 'Notify']);
    for (const c of streamConsumers) {
      expect(c.policy.Statement.slice(0, 2)).toEqual([
        { Sid: 'ReadTableStream', Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: [`${ARN}/stream/*`] },
        { Sid: 'ListTableStreams', Effect: 'Allow', Action: ['dynamodb:ListStreams'], Resource: [`${ARN}/stream/*`] },
      ]);
      expect(c.policy.Statement.flatMap((s) => s.Resource).every((r) => r.startsWith(`${ARN}/stream/`))).toBe(true);
    }
    // The application's policy does not get the stream actions: they are the consumer's.
    expect(JSON.stringify(policy)).not.toContain('Stream');
  });

  it('grants the failure destination when its ARN is given, and otherwise says it is left out', () => {
    const without = exported();
    expect(without.notes.filter((n) => n.startsWith('stream consumer'))).toEqual([expect.stringContaining('stream consumer ticket-audit: sends failed records to SQS, but no destination ARN was given'), expect.stringContaining('stream consumer Notify: sends failed records to SNS')]);
    const queue = 'arn:aws:sqs:us-east-1:123456789012:ticket-audit-failures';
    const withQueue = exported({ failureDestinations: { 'ticket-audit': queue } });
    expect(withQueue.streamConsumers[0]?.policy.Statement[2]).toEqual({ Sid: 'SendFailedRecordsToQueue', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [queue] });
    expect(withQueue.notes.filter((n) => n.startsWith('stream consumer'))).toEqual([expect.stringContaining('stream consumer Notify')]);
    expect(() => exported({ failureDestinations: { nope: queue } })).toThrow(new ExportError('failureDestinations: no stream consumer named "nope" in the model'));
  });

  it('the CLI prints the consumers\' policies with --json, and names them on stderr otherwise', async () => {
    const json = JSON.parse(await renderExport(model, options({ json: true, tableName: TABLE }))) as IamPolicyExport;
    expect(json.streamConsumers).toHaveLength(3);
    // The same model's PartiQL patterns: their actions granted, full scans denied.
    expect(json.grants).toContainEqual({ action: 'dynamodb:PartiQLSelect', index: 'GSI1' });
    expect(json.policy.Statement.find((s) => s.Effect === 'Deny')?.Condition).toEqual({ Bool: { 'dynamodb:FullTableScan': ['true'] } });
    const err: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    try {
      expect(await runExport(model, options({ tableName: TABLE }))).toBe(0);
    } finally {
      jest.restoreAllMocks();
    }
    expect(err.join('')).toContain("stream consumer ticket-audit: its function's role gets its own policy (--json: streamConsumers)");
  });

  it('the CLI writes the model\'s consumers into the CloudFormation, CDK and Terraform exports', async () => {
    const template = parse(await renderExport(model, options({ format: 'cloudformation' }))) as CloudFormationTemplate;
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')).toHaveLength(3);
    expect(await renderExport(model, options({ format: 'cdk' }))).toContain('new lambda.CfnEventSourceMapping(this, "TicketAuditEventSourceMapping"');
    expect(await renderExport(model, options({ format: 'terraform' }))).toContain('resource "aws_lambda_event_source_mapping" "ticket_audit"');
  });
});
