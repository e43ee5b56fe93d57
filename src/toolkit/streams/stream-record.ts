/**
 * The shapes Lambda hands a DynamoDB stream function, written out here so the runtime needs nothing
 * from @types/aws-lambda: they are structurally the `DynamoDBRecord`, `DynamoDBStreamEvent` and
 * `DynamoDBBatchResponse` of @types/aws-lambda (a type test holds them to it).
 */

/** A DynamoDB attribute value in the wire form ({ S: 'x' }, { N: '1' }, { M: {...} } ...). */
export type WireAttributeValue = { [type: string]: unknown };
export type WireItem = Record<string, WireAttributeValue>;

/** One record as a Lambda function receives it from a DynamoDB stream. */
export interface StreamRecord {
  eventID?: string;
  eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion?: string;
  eventSource?: string;
  awsRegion?: string;
  eventSourceARN?: string;
  dynamodb?: {
    /** Epoch seconds. */
    ApproximateCreationDateTime?: number;
    Keys?: WireItem;
    NewImage?: WireItem;
    OldImage?: WireItem;
    SequenceNumber?: string;
    SizeBytes?: number;
    StreamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
  };
  userIdentity?: { type?: string; principalId?: string } | undefined;
}

/** What Lambda passes a DynamoDB stream function. */
export interface StreamEvent {
  Records: StreamRecord[];
}

/** A partial batch response: Lambda retries from the lowest itemIdentifier (a SequenceNumber). */
export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** True for a deletion made by DynamoDB's TTL sweeper rather than by a request. */
export function isTtlDeletion(record: StreamRecord): boolean {
  return record.eventName === 'REMOVE' && record.userIdentity?.type === 'Service' && record.userIdentity?.principalId === 'dynamodb.amazonaws.com';
}

/** The table name in a stream ARN (arn:aws:dynamodb:region:account:table/NAME/stream/LABEL). */
export function tableOfStreamArn(arn: string | undefined): string | undefined {
  const m = /:table\/([^/]+)\/stream\//.exec(arn ?? '');
  return m ? m[1] : undefined;
}

/**
 * The partition key value of a record as a stable string: the unit Lambda keeps in order (with a
 * parallelization factor above 1, order holds per partition key only). Undefined when the key
 * attribute is absent from the record's Keys.
 */
export function partitionKeyOf(record: StreamRecord, partitionKeyName: string): string | undefined {
  const value = record.dynamodb?.Keys?.[partitionKeyName];
  return value === undefined ? undefined : JSON.stringify(value);
}

/** The attribute that tells an idempotency marker apart from the model's items. */
export const IDEMPOTENCY_MARKER_ATTRIBUTE = '__stk_stream_marker__';
/** Prefix of a marker's keys. */
export const IDEMPOTENCY_MARKER_PREFIX = '$stk-stream-marker#';

/** True for a record of a consumer's own idempotency marker (the router passes over them). */
export function isMarkerRecord(record: StreamRecord): boolean {
  const d = record.dynamodb;
  if (d?.NewImage?.[IDEMPOTENCY_MARKER_ATTRIBUTE] || d?.OldImage?.[IDEMPOTENCY_MARKER_ATTRIBUTE]) return true;
  return Object.values(d?.Keys ?? {}).some((v) => typeof v?.S === 'string' && v.S.startsWith(IDEMPOTENCY_MARKER_PREFIX));
}
