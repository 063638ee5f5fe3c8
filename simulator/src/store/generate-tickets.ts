/**
 * Seeded generation of tickets. Customer tickets are often linked to the
 * conversation they came from; the link is recorded on both sides.
 */
import type { GenerationOptions } from '../options.js';
import { Rng } from '../rng.js';
import type { Catalog } from './catalog.js';
import { htmlParagraph, partTimes } from './conversation-parts.js';
import { NumericIds } from './ids.js';
import type { AuthorRef, ContactRow, ConversationRow, TicketPartRow, TicketRow } from './rows.js';
import { ADMIN_LINES, CONVERSATION_SUBJECTS, NOTE_LINES } from './vocab.js';

const DAY = 86400;

export interface GeneratedTickets {
  tickets: TicketRow[];
  conversations: ConversationRow[];
  ticketIds: NumericIds;
  ticketPartIds: NumericIds;
  nextTicketNumber: number;
}

export function pickTicketType(rng: Rng, typeCount: number): number {
  const roll = rng.next();
  const index = roll < 0.6 ? 0 : roll < 0.85 ? 1 : 2;
  return Math.min(index, typeCount - 1);
}

/** Parts that walk a ticket from `submitted` to its final state, with comments and notes between. */
export function ticketParts(
  rng: Rng,
  ids: { next(): string },
  catalog: Catalog,
  stateIndex: number,
  createdAt: number,
  end: number,
): TicketPartRow[] {
  const admin = (): AuthorRef => ({ type: 'admin', id: rng.pick(catalog.admins).id });
  const extra = rng.int(0, 4);
  const times = partTimes(rng, stateIndex + extra + 1, createdAt, end, 8 * 3600);
  const parts: TicketPartRow[] = [];
  const categories = ['submitted', 'in_progress', 'waiting_on_customer', 'resolved'];
  let state = 0;
  parts.push({ id: ids.next(), partType: 'ticket_state_updated_by_admin', createdAt: times[0] ?? createdAt, author: admin(), body: null, previousState: 'submitted', state: 'submitted' });
  for (let i = 1; i < times.length; i++) {
    const t = times[i] ?? createdAt;
    const stepsLeft = stateIndex - state;
    const partsLeft = times.length - i;
    if (stepsLeft > 0 && (stepsLeft >= partsLeft || rng.chance(0.5))) {
      const previous = categories[state] ?? 'submitted';
      state++;
      parts.push({ id: ids.next(), partType: 'ticket_state_updated_by_admin', createdAt: t, author: admin(), body: null, previousState: previous, state: categories[state] ?? 'resolved' });
    } else {
      const note = rng.chance(0.3);
      parts.push({
        id: ids.next(),
        partType: note ? 'note' : 'comment',
        createdAt: t,
        author: admin(),
        body: htmlParagraph(note ? rng.pick(NOTE_LINES) : rng.pick(ADMIN_LINES)),
        previousState: null,
        state: null,
      });
    }
  }
  return parts;
}

export function generateTickets(
  options: GenerationOptions,
  catalog: Catalog,
  contacts: readonly ContactRow[],
  conversations: readonly ConversationRow[],
): GeneratedTickets {
  const rng = new Rng(options.seed ^ 0x71c4e75);
  const historyStart = options.anchor - options.historyDays * DAY;
  const ticketIds = new NumericIds(620 + rng.int(0, 100), rng, 4);
  const ticketPartIds = new NumericIds(176 + rng.int(0, 100), rng, 3);
  const created: number[] = [];
  for (let i = 0; i < options.size.tickets; i++) created.push(Math.floor(historyStart + Math.pow(rng.next(), 0.7) * (options.anchor - 3600 - historyStart)));
  created.sort((a, b) => a - b);
  const linkedConversations = new Map<number, string>();
  const tickets: TicketRow[] = created.map((createdAt, seq) => {
    const typeIndex = pickTicketType(rng, catalog.ticketTypes.length);
    const type = catalog.ticketTypes[typeIndex];
    const stateIndex = rng.int(0, 3);
    const end = Math.min(options.anchor, createdAt + 20 * DAY);
    const parts = ticketParts(rng, ticketPartIds, catalog, stateIndex, createdAt, end);
    const updatedAt = parts[parts.length - 1]?.createdAt ?? createdAt;
    const contact = contacts.length > 0 && type?.category !== 'Tracker' ? contacts[rng.int(0, contacts.length - 1)] : undefined;
    let linkedConversationId: string | null = null;
    if (type?.category === 'Customer' && conversations.length > 0 && rng.chance(0.4)) {
      const conversation = conversations[rng.int(0, conversations.length - 1)];
      if (conversation && !linkedConversations.has(conversation.seq)) {
        linkedConversationId = conversation.id;
        linkedConversations.set(conversation.seq, '');
      }
    }
    const previousStateIndex = stateIndex > 0 ? stateIndex - 1 : null;
    const extra = type?.extraAttribute;
    const id = ticketIds.next();
    if (linkedConversationId !== null) {
      const conversation = conversations.find((c) => c.id === linkedConversationId);
      if (conversation) linkedConversations.set(conversation.seq, id);
    }
    return {
      seq,
      id,
      ticketNumber: String(seq + 1),
      h: rng.nextUint32() & 0x3fffffff,
      createdAt,
      updatedAt,
      writtenAt: 0,
      typeIndex,
      stateIndex,
      previousStateId: previousStateIndex === null ? null : (type?.states[previousStateIndex]?.id ?? null),
      title: rng.pick(CONVERSATION_SUBJECTS),
      description: rng.chance(0.8) ? 'Reported through the messenger. Steps to reproduce attached.' : null,
      contacts: contact ? [contact.seq] : [],
      adminAssigneeId: rng.chance(0.7) ? Number(rng.pick(catalog.admins).id) : 0,
      teamAssigneeId: catalog.teams.length > 0 && rng.chance(0.5) ? Number(rng.pick(catalog.teams)['id']) : 0,
      snoozedUntil: stateIndex === 2 && rng.chance(0.3) ? updatedAt + rng.int(1, 7) * DAY : null,
      isShared: type?.category === 'Customer',
      parts,
      linkedConversationId,
      custom: extra && rng.chance(0.8) ? { [extra.name]: rng.pick(extra.values) } : {},
    };
  });
  const linkedBySeq = new Map([...linkedConversations].filter(([, ticketId]) => ticketId !== ''));
  const updatedConversations = conversations.map((c) => {
    const ticketId = linkedBySeq.get(c.seq);
    return ticketId ? { ...c, linkedTicketId: ticketId } : c;
  });
  return { tickets, conversations: updatedConversations, ticketIds, ticketPartIds, nextTicketNumber: tickets.length + 1 };
}
