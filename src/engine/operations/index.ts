/** The operations of DynamoDB's API 2012-08-10, by name. */
import type { EngineCore } from '../engine';
import { batchExecuteStatement } from './batch-execute-statement';
import { batchGetItem } from './batch-get-item';
import { batchWriteItem } from './batch-write-item';
import { createTable } from './create-table';
import { deleteItem } from './delete-item';
import { deleteTable } from './delete-table';
import { describeEndpoints } from './describe-endpoints';
import { describeLimits } from './describe-limits';
import { describeTableOp } from './describe-table';
import { describeTimeToLive } from './describe-time-to-live';
import { executeStatement } from './execute-statement';
import { executeTransaction } from './execute-transaction';
import { getItem } from './get-item';
import { listTables } from './list-tables';
import { listTagsOfResource } from './list-tags-of-resource';
import { putItem } from './put-item';
import { query } from './query';
import { scan } from './scan';
import { tagResource } from './tag-resource';
import { transactGetItems } from './transact-get-items';
import { transactWriteItems } from './transact-write-items';
import { untagResource } from './untag-resource';
import { updateItem } from './update-item';
import { updateTable } from './update-table';
import { updateTimeToLive } from './update-time-to-live';

export type Operation = (core: EngineCore, body: unknown) => unknown;

export const OPERATIONS: Readonly<Record<string, Operation>> = Object.freeze({
  BatchExecuteStatement: batchExecuteStatement,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  CreateTable: createTable,
  DeleteItem: deleteItem,
  DeleteTable: deleteTable,
  DescribeEndpoints: describeEndpoints,
  DescribeLimits: describeLimits,
  DescribeTable: describeTableOp,
  DescribeTimeToLive: describeTimeToLive,
  ExecuteStatement: executeStatement,
  ExecuteTransaction: executeTransaction,
  GetItem: getItem,
  ListTables: listTables,
  ListTagsOfResource: listTagsOfResource,
  PutItem: putItem,
  Query: query,
  Scan: scan,
  TagResource: tagResource,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  UntagResource: untagResource,
  UpdateItem: updateItem,
  UpdateTable: updateTable,
  UpdateTimeToLive: updateTimeToLive,
});
