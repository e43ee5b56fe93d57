import { openModelSession, verifyRequests } from '../../src/toolkit';
import { ticketingModel, type TicketingSeed } from '../fixtures/ticketing-model';

describe('ticketing model (the second model the exports are checked on)', () => {
  it('every runner sends exactly the requests its catalog entry declares, over a seed', async () => {
    const session = await openModelSession(ticketingModel);
    try {
      const seed = (await ticketingModel.seed(session.services, { size: 9 })) as TicketingSeed;
      const runners = ticketingModel.runners(session.services, seed);
      for (const pattern of ticketingModel.catalog) {
        const call = await runners[pattern.name as keyof typeof runners](0);
        const { requests } = await session.recorder.capture(call);
        expect({ pattern: pattern.name, problems: verifyRequests(pattern, requests), sent: requests.map((r) => [r.operation, r.index ?? 'table', r.keyCondition, r.filter]) }).toEqual({ pattern: pattern.name, problems: [], sent: expect.anything() });
      }
      const queue = await session.services.listAssignedTickets('agent-0');
      expect(queue.items.length).toBeGreaterThan(0);
      expect(queue.items.every((t) => t.assigneeId === 'agent-0')).toBe(true);
    } finally {
      await session.close();
    }
  });
});
