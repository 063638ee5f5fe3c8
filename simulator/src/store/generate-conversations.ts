/**
 * Seeded generation of conversations (with their parts) and of the ids of
 * conversations deleted before the simulation starts. Hard cases:
 * - a bulk close: more than 200 conversations whose updated_at is the same second;
 * - groups of conversations created in the same second;
 * - two conversations with more than 500 parts (beyond the API's cap).
 */
import type { GenerationOptions } from '../options.js';
import { Rng } from '../rng.js';
import type { Catalog } from './catalog.js';
import { computeStats, generateParts, htmlParagraph, partTimes, type FinalState } from './conversation-parts.js';
import { NumericIds } from './ids.js';
import type { AppliedTag, AuthorRef, ContactRow, ConversationRow, ConversationSource, DeletedConversation } from './rows.js';
import { CONTACT_LINES, CONVERSATION_SUBJECTS } from './vocab.js';

const DAY = 86400;

export interface ConversationLandmarks {
  /** The second every bulk-closed conversation was last updated. */
  bulkCloseAt: number;
  bulkCloseCount: number;
  /** Conversation ids with more than 500 parts. */
  longConversationIds: string[];
}

export interface GeneratedConversations {
  conversations: ConversationRow[];
  deleted: DeletedConversation[];
  landmarks: ConversationLandmarks;
  conversationIds: NumericIds;
  partIds: NumericIds;
  sourceIds: NumericIds;
}

interface Plan {
  createdAt: number;
  /** Latest allowed part time (exclusive). */
  end: number;
  partCount: number;
  finalState: FinalState;
  bulk: boolean;
  deleted: boolean;
}

export function bulkCloseSize(conversations: number): number {
  return conversations >= 300 ? 210 : Math.floor(conversations * 0.7);
}

const LONG_PART_COUNTS = [640, 520];

function planConversations(options: GenerationOptions, rng: Rng): { plans: Plan[]; bulkCloseAt: number } {
  const { anchor } = options;
  const historyStart = anchor - options.historyDays * DAY;
  const n = options.size.conversations;
  const bulkCount = bulkCloseSize(n);
  const bulkCloseAt = Math.max(historyStart + DAY, anchor - rng.int(8, 25) * DAY - rng.int(0, DAY - 1));
  const plans: Plan[] = [];
  for (let i = 0; i < n; i++) {
    const bulk = i < bulkCount;
    const long = !bulk && i - bulkCount < LONG_PART_COUNTS.length;
    const from = bulk ? Math.max(historyStart, bulkCloseAt - 150 * DAY) : historyStart;
    // Long conversations start early enough for their parts to spread over months.
    const to = bulk ? bulkCloseAt - 3 * DAY : long ? Math.max(historyStart + DAY, anchor - 130 * DAY) : anchor - 3600;
    const span = Math.max(1, to - from);
    const createdAt = Math.min(bulk ? bulkCloseAt - 1 : anchor - 1, Math.floor(from + Math.pow(rng.next(), 0.8) * span));
    const partCount = long ? (LONG_PART_COUNTS[i - bulkCount] ?? 501) : Math.max(1, Math.min(40, Math.round(1 + rng.exponential(7))));
    const roll = rng.next();
    const finalState: FinalState = bulk ? 'closed' : roll < 0.6 ? 'closed' : roll < 0.9 ? 'open' : 'snoozed';
    // Bulk-closed conversations get their last part at exactly bulkCloseAt.
    const end = bulk ? bulkCloseAt : Math.min(anchor, createdAt + (long ? 120 : 30) * DAY);
    plans.push({ createdAt, end, partCount, finalState, bulk, deleted: false });
  }
  // A few conversations opened in the same second as another one.
  for (let i = bulkCount + LONG_PART_COUNTS.length + 1; i < plans.length; i += 17) {
    const previous = plans[i - 1];
    const plan = plans[i];
    if (previous && plan && !previous.bulk) plans[i] = { ...plan, createdAt: previous.createdAt, end: Math.max(previous.createdAt + 3600, Math.min(plan.end, previous.end)) };
  }
  for (let i = 0; i < options.size.deletedConversations; i++) {
    const createdAt = Math.floor(historyStart + rng.next() * (anchor - 2 * DAY - historyStart));
    plans.push({ createdAt, end: createdAt + DAY, partCount: 0, finalState: 'closed', bulk: false, deleted: true });
  }
  plans.sort((a, b) => a.createdAt - b.createdAt);
  return { plans, bulkCloseAt };
}

/** Index of the last contact created at or before t (contacts are sorted by creation). */
function contactsCreatedBy(contacts: readonly ContactRow[], t: number): number {
  let lo = 0;
  let hi = contacts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((contacts[mid]?.createdAt ?? Infinity) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function contactAuthor(contact: ContactRow): AuthorRef {
  return { type: contact.role, id: contact.id };
}

export function generateConversations(options: GenerationOptions, catalog: Catalog, contacts: readonly ContactRow[]): GeneratedConversations {
  const rng = new Rng(options.seed ^ 0xc0417e5a);
  const { plans, bulkCloseAt } = planConversations(options, rng);
  const conversationIds = new NumericIds(215470000000 + rng.int(0, 99999999), rng, 40);
  const partIds = new NumericIds(17000000000 + rng.int(0, 9999999), rng, 5);
  const sourceIds = new NumericIds(403918000 + rng.int(0, 99999), rng, 9);
  const adminIds = catalog.admins.map((a) => a.id);
  const teamIds = catalog.teams.map((t) => t['id'] as string);
  const conversations: ConversationRow[] = [];
  const deleted: DeletedConversation[] = [];
  const longIds: string[] = [];

  for (const plan of plans) {
    const id = conversationIds.next();
    if (plan.deleted) {
      deleted.push({ id, deletedAt: Math.floor(plan.createdAt + rng.next() * (options.anchor - 1 - plan.createdAt)), metricsRetained: rng.chance(0.7) });
      continue;
    }
    const known = contactsCreatedBy(contacts, plan.createdAt);
    const contact = contacts.length === 0 ? null : contacts[known > 0 ? rng.int(0, known - 1) : rng.int(0, contacts.length - 1)];
    const second = contacts.length > 1 && rng.chance(0.05) ? contacts[rng.int(0, contacts.length - 1)] : null;
    const author: AuthorRef = contact ? contactAuthor(contact) : { type: 'lead', id: '000000000000000000000000' };
    const times = partTimes(rng, plan.partCount, plan.createdAt, plan.end, plan.partCount > 100 ? 3 * 3600 : 5 * 3600);
    if (plan.bulk) times[times.length - 1] = bulkCloseAt;
    const parts = generateParts(rng, partIds, { contact: author, adminIds, teamIds, botId: catalog.botId, tagCount: catalog.tags.length }, times, plan.finalState);
    const customerInitiated = rng.chance(0.7);
    const source = makeSource(rng, sourceIds.next(), customerInitiated, author, adminIds);
    const stats = computeStats(parts, plan.createdAt, customerInitiated);
    const updatedAt = parts.length > 0 ? (parts[parts.length - 1]?.createdAt ?? plan.createdAt) : plan.createdAt;
    const lastPart = parts[parts.length - 1];
    const adminAssignee = rng.chance(0.8) ? Number(rng.pick(adminIds)) : 0;
    const teamAssignee = teamIds.length > 0 && rng.chance(0.4) ? Number(rng.pick(teamIds)) : 0;
    const tags: AppliedTag[] = [];
    if (catalog.tags.length > 0 && rng.chance(0.3)) {
      for (const tagSeq of rng.sample(catalog.tags.length, rng.int(1, 2))) {
        tags.push({ tagSeq, appliedAt: Math.floor(plan.createdAt + rng.next() * (updatedAt - plan.createdAt)), adminId: rng.pick(adminIds) });
      }
    }
    const teammateIds = [...new Set(parts.filter((p) => p.author.type === 'admin').map((p) => p.author.id))];
    const row: ConversationRow = {
      seq: conversations.length,
      id,
      h: rng.nextUint32() & 0x3fffffff,
      createdAt: plan.createdAt,
      updatedAt,
      writtenAt: 0,
      deleted: false,
      title: rng.chance(0.1) ? rng.pick(CONVERSATION_SUBJECTS) : null,
      state: plan.finalState,
      read: plan.finalState === 'closed' ? rng.chance(0.95) : rng.chance(0.5),
      priority: rng.chance(0.85) ? 'none' : rng.pick(['low', 'medium', 'high', 'urgent'] as const),
      adminAssigneeId: adminAssignee,
      teamAssigneeId: teamAssignee,
      waitingSince: plan.finalState === 'open' && lastPart && lastPart.author.type !== 'admin' ? lastPart.createdAt : null,
      snoozedUntil: plan.finalState === 'snoozed' ? updatedAt + rng.int(1, 14) * DAY : null,
      contacts: [contact?.seq, second?.seq].filter((s): s is number => s !== undefined && s !== null).filter((s, i, all) => all.indexOf(s) === i),
      tags,
      source,
      parts,
      stats,
      rating:
        plan.finalState === 'closed' && rng.chance(0.3)
          ? { rating: rng.int(1, 5), remark: rng.chance(0.5) ? 'Quick and helpful' : '', at: updatedAt, adminId: String(adminAssignee || adminIds[0]) }
          : null,
      custom: conversationCustomAttributes(rng, plan.createdAt),
      linkedTicketId: null,
      aiAgent: rng.chance(0.15),
      sla: rng.chance(0.2) ? { name: 'VIP response time', status: rng.pick(['hit', 'missed', 'active'] as const) } : null,
      channel: source.type === 'email' ? 'email' : 'messenger',
      teammateIds,
    };
    if (parts.length > 500) longIds.push(id);
    conversations.push(row);
  }
  return {
    conversations,
    deleted,
    landmarks: { bulkCloseAt, bulkCloseCount: plans.filter((p) => p.bulk).length, longConversationIds: longIds },
    conversationIds,
    partIds,
    sourceIds,
  };
}

export function makeSource(rng: Rng, id: string, customerInitiated: boolean, contact: AuthorRef, adminIds: readonly string[]): ConversationSource {
  const email = rng.chance(0.25);
  const subject = rng.pick(CONVERSATION_SUBJECTS);
  return {
    type: email ? 'email' : 'conversation',
    id,
    deliveredAs: customerInitiated ? 'customer_initiated' : rng.chance(0.7) ? 'admin_initiated' : 'automated',
    subject: email ? subject : '',
    body: customerInitiated ? htmlParagraph(rng.pick(CONTACT_LINES)) : htmlParagraph(`Hi there, following up about: ${subject}`),
    author: customerInitiated ? contact : { type: 'admin', id: rng.pick(adminIds) },
    url: !email && customerInitiated && rng.chance(0.5) ? 'https://app.example.com/settings/billing' : null,
  };
}

function conversationCustomAttributes(rng: Rng, createdAt: number): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (rng.chance(0.6)) out['Issue type'] = rng.pick(['Bug', 'Question', 'Billing', 'Feature request']);
  if (rng.chance(0.3)) out['Order number'] = `ORD-${rng.int(10000, 99999)}`;
  if (rng.chance(0.4)) out['Escalation level'] = rng.int(0, 3);
  if (rng.chance(0.15)) out['Follow-up date'] = createdAt + rng.int(1, 30) * DAY;
  return out;
}
