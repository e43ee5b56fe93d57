/** StreamSpecification of a table: label and ARN as DynamoDB forms them. */
import type { EngineCore } from '../engine';
import type { TableState } from '../storage/table';
import type { FieldSpec } from './validator';

export const STREAM_SPEC: FieldSpec = {
  type: 'FieldStruct<StreamSpecification>',
  children: {
    StreamEnabled: { type: 'Boolean', notNull: true },
    StreamViewType: { type: 'String', enum: ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] },
  },
};

export function enableStream(core: EngineCore, table: TableState, viewType: string): void {
  // The label is the ISO time of creation, as DynamoDB's (unique per table by the millisecond).
  let at = core.now();
  let label = new Date(at).toISOString().replace('Z', '');
  if (table.stream.label === label) {
    at += 1;
    label = new Date(at).toISOString().replace('Z', '');
  }
  table.stream = { enabled: true, viewType, label, arn: `${table.arn}/stream/${label}` };
}
