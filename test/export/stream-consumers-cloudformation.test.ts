import { parse } from 'yaml';
import { cloudFormationTemplate, ExportError, modelTable, renderCloudFormation, StreamSettingsError, type CfnResource, type Model } from '../../src/toolkit';
import { useCloudFormationChecker } from './cloudformation-fixtures';
import { MODELS } from './export-fixtures';
import { CONSUMER_CASES, CONSUMERS } from './stream-consumer-fixtures';

const findings = useCloudFormationChecker('stk-cfn-consumers-');

type Statement = { Sid: string; Effect: string; Action: string[]; Resource: unknown[] };

describe.each(CONSUMER_CASES)('CloudFormation stream consumers, $name model', ({ name, definition, options }) => {
  const template = cloudFormationTemplate(definition, options);
  const of = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);

  it('passes cfn-lint rules and resource schemas with no error and no warning, as YAML and as JSON', () => {
    expect(findings(renderCloudFormation(template, 'yaml'), `${name}-consumers.yaml`)).toEqual([]);
    expect(findings(renderCloudFormation(template, 'json'), `${name}-consumers.json`)).toEqual([]);
    expect(parse(renderCloudFormation(template, 'yaml'))).toEqual(template);
  }, 120_000);

  it('writes one event source mapping per consumer on the table\'s stream, each setting in its property', () => {
    const mappings = Object.fromEntries(of('AWS::Lambda::EventSourceMapping'));
    expect(Object.keys(mappings).sort()).toEqual(['CommentCountsEventSourceMapping', 'NotifyEventSourceMapping', 'TicketAuditEventSourceMapping']);
    expect(mappings.TicketAuditEventSourceMapping).toEqual({
      Type: 'AWS::Lambda::EventSourceMapping',
      DependsOn: ['TicketAuditStreamConsumerPolicy'],
      Properties: {
        EventSourceArn: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
        FunctionName: { Ref: 'TicketAuditFunctionName' },
        BatchSize: 50,
        MaximumBatchingWindowInSeconds: 5,
        StartingPosition: 'TRIM_HORIZON',
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 3600,
        BisectBatchOnFunctionError: true,
        ParallelizationFactor: 2,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['TicketAuditFailureQueue', 'Arn'] } } },
      },
    });
    // Lambda's defaults, written out; no partial batch responses when the consumer turns them off; no destination.
    expect((mappings.CommentCountsEventSourceMapping as CfnResource).Properties).toEqual({
      EventSourceArn: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
      FunctionName: { Ref: 'CommentCountsFunctionName' },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      StartingPosition: 'LATEST',
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      BisectBatchOnFunctionError: false,
      ParallelizationFactor: 1,
    });
    expect((mappings.NotifyEventSourceMapping as CfnResource).Properties.DestinationConfig).toEqual({ OnFailure: { Destination: { Ref: 'NotifyFailureTopic' } } });
    expect(Object.keys(template.Parameters ?? {}).sort()).toEqual(['CommentCountsFunctionName', 'CommentCountsFunctionRoleName', 'NotifyFunctionName', 'NotifyFunctionRoleName', 'TicketAuditFunctionName', 'TicketAuditFunctionRoleName']);
    expect(of('AWS::SQS::Queue').map(([id]) => id)).toEqual(['TicketAuditFailureQueue']);
    expect(of('AWS::SNS::Topic').map(([id]) => id)).toEqual(['NotifyFailureTopic']);
    expect(template.Outputs.TicketAuditFailureDestinationArn?.Value).toEqual({ 'Fn::GetAtt': ['TicketAuditFailureQueue', 'Arn'] });
  });

  it('gives each function\'s role least privilege: the stream actions on this table\'s stream only, and its own destination', () => {
    const policies = Object.fromEntries(of('AWS::IAM::Policy').map(([id, r]) => [id, r.Properties]));
    expect(Object.keys(policies).sort()).toEqual(['CommentCountsStreamConsumerPolicy', 'NotifyStreamConsumerPolicy', 'TicketAuditStreamConsumerPolicy']);
    const statements = (id: string) => ((policies[id] as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement);
    const read = { Sid: 'ReadTableStream', Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: [{ 'Fn::GetAtt': ['Table', 'StreamArn'] }] };
    const list = { Sid: 'ListTableStreams', Effect: 'Allow', Action: ['dynamodb:ListStreams'], Resource: [{ 'Fn::Sub': '${Table.Arn}/stream/*' }] };
    expect(statements('TicketAuditStreamConsumerPolicy')).toEqual([read, list, { Sid: 'SendFailedRecordsToQueue', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [{ 'Fn::GetAtt': ['TicketAuditFailureQueue', 'Arn'] }] }]);
    expect(statements('CommentCountsStreamConsumerPolicy')).toEqual([read, list]);
    expect(statements('NotifyStreamConsumerPolicy')).toEqual([read, list, { Sid: 'PublishFailedRecordsToTopic', Effect: 'Allow', Action: ['sns:Publish'], Resource: [{ Ref: 'NotifyFailureTopic' }] }]);
    for (const p of Object.values(policies)) {
      expect(JSON.stringify(p)).not.toMatch(/"\*"|:\*"|dynamodb:\*|"Resource":"\*/);
      expect((p as { Roles: unknown }).Roles).toEqual([{ Ref: expect.stringMatching(/FunctionRoleName$/) }]);
    }
  });
});

describe('stream consumers: bad input is refused and nothing is written', () => {
  const [, model] = MODELS[1] as [string, Model];
  const definition = modelTable(model, 'bad-consumers');

  it('a setting out of Lambda\'s range names the field and the rule', () => {
    expect(() => cloudFormationTemplate(definition, { streamConsumers: [{ settings: { name: 'x', batchSize: 10_001 } }] })).toThrow(StreamSettingsError);
    expect(() => cloudFormationTemplate(definition, { streamConsumers: [{ settings: { name: 'x', maximumRecordAgeInSeconds: 59 } }] })).toThrow('stream consumer setting maximumRecordAgeInSeconds: must be -1 or a whole number from 60 to 604800');
    expect(() => cloudFormationTemplate(definition, { streamConsumers: [{ settings: { name: 'x}"\n' } }] })).toThrow('stream consumer setting name');
  });

  it('two consumers with one name, or consumers on a table without a stream, are refused', () => {
    expect(() => cloudFormationTemplate(definition, { streamConsumers: [CONSUMERS[0], CONSUMERS[0]] as never })).toThrow(new ExportError('streamConsumers: two consumers are named "ticket-audit"; each needs its own name'));
    const noStream = { ...definition, input: { ...definition.input, StreamSpecification: { StreamEnabled: false } } };
    expect(() => cloudFormationTemplate(noStream, { streamConsumers: CONSUMERS })).toThrow('has no stream');
  });

  it('names that clean to one logical name (a-b and a_b) each get their own resources', () => {
    const template = cloudFormationTemplate(definition, { streamConsumers: [{ settings: { name: 'a-b' } }, { settings: { name: 'a_b' } }] });
    const mappings = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(2);
    expect(new Set(mappings.map(([, r]) => JSON.stringify(r.Properties.FunctionName))).size).toBe(2);
  });
});

describe('the stream consumer check can fail', () => {
  it('cfn-lint rejects a mapping setting out of range and an unknown starting position', () => {
    const [{ definition, options }] = CONSUMER_CASES as [(typeof CONSUMER_CASES)[number]];
    const broken = JSON.parse(JSON.stringify(cloudFormationTemplate(definition, options))) as ReturnType<typeof cloudFormationTemplate>;
    const props = broken.Resources.TicketAuditEventSourceMapping?.Properties as Record<string, unknown>;
    props.ParallelizationFactor = 11;
    props.StartingPosition = 'OLDEST';
    const problems = findings(renderCloudFormation(broken, 'yaml'), 'broken-consumers.yaml');
    expect(problems.some((p) => p.includes('11'))).toBe(true);
    expect(problems.some((p) => p.includes('OLDEST'))).toBe(true);
  }, 120_000);
});
