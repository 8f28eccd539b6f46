import { isUUID } from 'class-validator';
import { auditMessage, onceEventId } from './logging.contract';

describe('onceEventId: the id of an event that happens once to its subject', () => {
  const order = { kind: 'order' as const, id: '7c1e2f4a-9b3d-4e6f-8a5c-1d2e3f4a5b6c' };

  it('is the same for every writer, a valid UUID, and differs by type and subject', () => {
    const id = onceEventId('order_placed', order);
    expect(onceEventId('order_placed', { ...order })).toBe(id);
    expect(isUUID(id)).toBe(true);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(onceEventId('order_cancelled', order)).not.toBe(id);
    expect(onceEventId('order_placed', { ...order, id: `${order.id.slice(0, -1)}d` })).not.toBe(id);
    expect(onceEventId('order_placed', { kind: 'product', id: order.id })).not.toBe(id);
  });

  it('becomes the event id the outbox sends; other events get a fresh one each time', () => {
    const event = { type: 'order_placed', subject: order };
    const once = onceEventId('order_placed', order);
    expect(auditMessage({ ...event, eventId: once }, undefined).payload.eventId).toBe(once);
    const [a, b] = [auditMessage(event, undefined), auditMessage(event, undefined)];
    expect(a.payload.eventId).not.toBe(b.payload.eventId);
  });
});
