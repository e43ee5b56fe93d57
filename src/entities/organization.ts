import { Entity } from 'electrodb';
import { SERVICE } from './service-name';

export const ORGANIZATION_PLANS = ['free', 'pro', 'enterprise'] as const;
export type OrganizationPlan = (typeof ORGANIZATION_PLANS)[number];

export const Organization = new Entity({
  model: { entity: 'organization', version: '1', service: SERVICE },
  attributes: {
    orgId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    plan: { type: ORGANIZATION_PLANS, required: true },
    /** Kept equal to the number of memberships by the transactions that add or remove one. */
    memberCount: { type: 'number', required: true },
    /** Guards "an organization always has an owner" inside the same transactions. */
    ownerCount: { type: 'number', required: true },
    createdAt: { type: 'string', required: true },
    updatedAt: { type: 'string', required: true },
  },
  indexes: {
    // getOrganization; getOrganizationWithMembers reads the organization collection
    organization: {
      collection: 'organization',
      pk: { field: 'pk', composite: ['orgId'], casing: 'none' },
      sk: { field: 'sk', composite: [], casing: 'none' },
    },
  },
});
