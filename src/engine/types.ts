/**
 * DynamoDB's data model on the wire (API 2012-08-10): the engine works on this JSON form throughout.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

/** The type tags of an AttributeValue. */
export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M';

/** Types allowed for key attributes (AttributeDefinitions). */
export type ScalarAttributeType = 'S' | 'N' | 'B';

export type Item = Record<string, AttributeValue>;

export type KeyType = 'HASH' | 'RANGE';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: KeyType;
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: ScalarAttributeType;
}

/** The tag of a wire AttributeValue (its single key). */
export function attributeType(value: AttributeValue): AttributeType {
  return Object.keys(value)[0] as AttributeType;
}
