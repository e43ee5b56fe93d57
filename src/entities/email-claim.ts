import { Entity } from 'electrodb';
import { SERVICE } from './service-name';

/**
 * The unique-email marker: DynamoDB has no unique constraint besides the primary key, so each
 * email owns one item, written in the same transaction as the user with attribute_not_exists.
 */
export const EmailClaim = new Entity({
  model: { entity: 'emailClaim', version: '1', service: SERVICE },
  attributes: {
    email: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true },
    claimedAt: { type: 'string', required: true },
  },
  indexes: {
    // createUser / changeUserEmail / deleteUser: the claim is addressed by the email alone
    claim: {
      pk: { field: 'pk', composite: ['email'], casing: 'none' },
      sk: { field: 'sk', composite: [], casing: 'none' },
    },
  },
});
