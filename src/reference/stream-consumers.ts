import { defineStreamConsumer } from '../toolkit';
import { EmailClaim, Membership, Order, OrderItem, OrderRequest, Organization, Session, User, TTL_ATTRIBUTE } from '../entities';
import type { Services } from '../services/create-services';

/**
 * membership-names: completes the copies of a user's name on their memberships after a rename.
 * updateUserProfile copies the name itself (the caller reads its own rename at once); when that
 * copy stops part way (UNAVAILABLE: throttled, GSI lag), the guarantee used to be "repeat the
 * call". This consumer repeats it for the caller, from the user's MODIFY record: the same call with
 * the version the rename applied to, which (its condition failing) only brings every copy up to
 * the user's current name. Version conditions make it idempotent; a newer rename (VERSION_CONFLICT)
 * or a deleted user (NOT_FOUND) leaves nothing for this record to do.
 */
export const membershipNames = defineStreamConsumer({
  entities: { user: User, emailClaim: EmailClaim, organization: Organization, membership: Membership, order: Order, orderItem: OrderItem, orderRequest: OrderRequest, session: Session },
  settings: { name: 'membership-names', batchSize: 100, maximumRetryAttempts: 10, bisectBatchOnFunctionError: true, maximumRecordAgeInSeconds: 3600, startingPosition: 'LATEST', onFailure: 'sqs' },
  ttlAttribute: TTL_ATTRIBUTE,
  handlers: {
    user: {
      async modify(change, { services }: { services: Services }) {
        const { newImage, oldImage } = change;
        if (oldImage && oldImage.name === newImage.name) return;
        try {
          await services.updateUserProfile(newImage.userId, { name: newImage.name }, { expectedVersion: newImage.version - 1 });
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === 'VERSION_CONFLICT' || code === 'NOT_FOUND') return;
          throw error;
        }
      },
    },
  },
});
