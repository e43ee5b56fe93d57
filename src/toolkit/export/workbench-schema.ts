/*
 * JSON schema of a NoSQL Workbench data model, Version "3.0", written from the models AWS
 * publishes (aws-samples/aws-dynamodb-examples, schema_design/SchemaExamples: Session management,
 * Complaint management, Connected vehicles, Recurring payments): every field they use, the types
 * they give them, nothing else. Workbench refuses an unknown Version on import.
 */

const keyAttribute = {
  type: 'object',
  required: ['AttributeName', 'AttributeType'],
  additionalProperties: false,
  properties: { AttributeName: { type: 'string', minLength: 1 }, AttributeType: { enum: ['S', 'N', 'B'] } },
} as const;

const keyAttributes = {
  type: 'object',
  required: ['PartitionKey'],
  additionalProperties: false,
  properties: { PartitionKey: keyAttribute, SortKey: keyAttribute },
} as const;

/** One attribute value in DynamoDB JSON; published models hold plain JSON inside M and L. */
const attributeValue = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: {
    S: { type: 'string' },
    N: { type: 'string', pattern: '^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$' },
    B: { type: 'string' },
    BOOL: { type: 'boolean' },
    NULL: { const: true },
    M: { type: 'object' },
    L: { type: 'array' },
    SS: { type: 'array', items: { type: 'string' } },
    NS: { type: 'array', items: { type: 'string' } },
    BS: { type: 'array', items: { type: 'string' } },
  },
} as const;

const tableData = { type: 'array', items: { type: 'object', additionalProperties: attributeValue } } as const;
const dataAccess = { type: 'object', required: ['MySql'], additionalProperties: false, properties: { MySql: { type: 'object' } } } as const;

const autoScaling = {
  type: 'object',
  required: ['ScalableTargetRequest', 'ScalingPolicyConfiguration'],
  additionalProperties: false,
  properties: {
    ScalableTargetRequest: {
      type: 'object',
      required: ['MinCapacity', 'MaxCapacity'],
      additionalProperties: false,
      properties: { MinCapacity: { type: 'integer', minimum: 1 }, MaxCapacity: { type: 'integer', minimum: 1 }, ServiceRole: { type: 'string' } },
    },
    ScalingPolicyConfiguration: {
      type: 'object',
      required: ['TargetValue'],
      additionalProperties: false,
      properties: { TargetValue: { type: 'number', minimum: 20, maximum: 90 } },
    },
  },
} as const;

export const WORKBENCH_MODEL_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'NoSQL Workbench data model, Version 3.0',
  type: 'object',
  required: ['ModelName', 'ModelMetadata', 'DataModel'],
  additionalProperties: false,
  properties: {
    ModelName: { type: 'string', minLength: 1 },
    ModelMetadata: {
      type: 'object',
      required: ['Author', 'DateCreated', 'DateLastModified', 'Description', 'AWSService', 'Version'],
      additionalProperties: false,
      properties: {
        Author: { type: 'string' },
        DateCreated: { type: 'string' },
        DateLastModified: { type: 'string' },
        Description: { type: 'string' },
        AWSService: { const: 'Amazon DynamoDB' },
        Version: { const: '3.0' },
      },
    },
    DataModel: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['TableName', 'KeyAttributes', 'NonKeyAttributes', 'DataAccess', 'BillingMode'],
        additionalProperties: false,
        properties: {
          TableName: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{3,255}$' },
          KeyAttributes: keyAttributes,
          NonKeyAttributes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['AttributeName', 'AttributeType'],
              additionalProperties: false,
              properties: { AttributeName: { type: 'string', minLength: 1 }, AttributeType: { enum: ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'] } },
            },
          },
          GlobalSecondaryIndexes: {
            type: 'array',
            maxItems: 20,
            items: {
              type: 'object',
              required: ['IndexName', 'KeyAttributes', 'Projection'],
              additionalProperties: false,
              properties: {
                IndexName: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{3,255}$' },
                KeyAttributes: keyAttributes,
                Projection: {
                  type: 'object',
                  required: ['ProjectionType'],
                  additionalProperties: false,
                  properties: { ProjectionType: { enum: ['ALL', 'KEYS_ONLY', 'INCLUDE'] }, NonKeyAttributes: { type: 'array', items: { type: 'string' } } },
                },
              },
            },
          },
          TableFacets: {
            type: 'array',
            items: {
              type: 'object',
              required: ['FacetName', 'KeyAttributeAlias', 'NonKeyAttributes', 'DataAccess'],
              additionalProperties: false,
              properties: {
                FacetName: { type: 'string', minLength: 1 },
                KeyAttributeAlias: {
                  type: 'object',
                  required: ['PartitionKeyAlias'],
                  additionalProperties: false,
                  properties: { PartitionKeyAlias: { type: 'string', minLength: 1 }, SortKeyAlias: { type: 'string', minLength: 1 } },
                },
                TableData: tableData,
                NonKeyAttributes: { type: 'array', items: { type: 'string' } },
                DataAccess: dataAccess,
              },
            },
          },
          TableData: tableData,
          DataAccess: dataAccess,
          BillingMode: { enum: ['PROVISIONED', 'PAY_PER_REQUEST'] },
          ProvisionedCapacitySettings: {
            type: 'object',
            required: ['ProvisionedThroughput'],
            additionalProperties: false,
            properties: {
              ProvisionedThroughput: {
                type: 'object',
                required: ['ReadCapacityUnits', 'WriteCapacityUnits'],
                additionalProperties: false,
                properties: { ReadCapacityUnits: { type: 'integer', minimum: 1 }, WriteCapacityUnits: { type: 'integer', minimum: 1 } },
              },
              AutoScalingRead: autoScaling,
              AutoScalingWrite: autoScaling,
            },
          },
        },
        if: { properties: { BillingMode: { const: 'PROVISIONED' } } },
        then: { required: ['ProvisionedCapacitySettings'] },
      },
    },
  },
} as const;
