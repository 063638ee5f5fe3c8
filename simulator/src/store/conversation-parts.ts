/**
 * Conversation parts and the statistics derived from them. Used both by the
 * seeded generator and by the store's addConversationPart mutation, so a part
 * added during a test updates the statistics exactly like a generated one.
 */
import type { Rng } from '../rng.js';
import type { AuthorRef, ConversationStats, Json, PartRow } from './rows.js';
import { ADMIN_LINES, CONTACT_LINES, NOTE_LINES } from './vocab.js';

export interface PartActors {
  contact: AuthorRef;
  adminIds: readonly string[];
  teamIds: readonly string[];
  botId: string;
  tagCount: number;
}

export interface PartIdSource {
  next(): string;
}

export function htmlParagraph(text: string, link?: { label: string; url: string }): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return link ? `<p>${escaped} <a href="${link.url}">${link.label}</a></p>` : `<p>${escaped}</p>`;
}

function commentBody(rng: Rng, fromContact: boolean): string {
  if (fromContact) return htmlParagraph(rng.pick(CONTACT_LINES));
  const line = rng.pick(ADMIN_LINES);
  return rng.chance(0.2) ? htmlParagraph(line, { label: 'this article', url: 'https://help.example.com/articles/42' }) : htmlParagraph(line);
}

/** Part times: increasing, starting after `from`, all strictly before `end`. */
export function partTimes(rng: Rng, count: number, from: number, end: number, meanGap: number): number[] {
  const gaps: number[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const gap = 1 + rng.exponential(meanGap);
    gaps.push(gap);
    total += gap;
  }
  const room = end - 1 - from;
  const scale = total > room ? Math.max(0, room - count) / total : 1;
  const out: number[] = [];
  let t = from;
  for (const gap of gaps) {
    // Always at least one second later, so parts never share a timestamp with the previous one.
    t = Math.min(end - 1, Math.max(t + 1, Math.floor(t + gap * scale)));
    out.push(t);
  }
  return out;
}

export type FinalState = 'open' | 'closed' | 'snoozed';

/**
 * A plausible part sequence: assignment, replies back and forth, the odd note
 * or workflow event, and a final part that leaves the conversation in `finalState`.
 */
export function generateParts(
  rng: Rng,
  ids: PartIdSource,
  actors: PartActors,
  times: readonly number[],
  finalState: FinalState,
): PartRow[] {
  const parts: PartRow[] = [];
  let state: FinalState = 'open';
  const admin = (): AuthorRef => ({ type: 'admin', id: rng.pick(actors.adminIds) });
  const last = times.length - 1;
  times.forEach((createdAt, i) => {
    let part: PartRow;
    if (i === last && finalState !== 'open') {
      state = finalState;
      part = eventPart(ids.next(), finalState === 'closed' ? 'close' : 'snoozed', createdAt, admin(), state);
    } else if (i === 0 && rng.chance(0.6)) {
      const toTeam = actors.teamIds.length > 0 && rng.chance(0.4);
      const assignee = toTeam ? { type: 'team', id: rng.pick(actors.teamIds) } : { type: 'admin', id: rng.pick(actors.adminIds) };
      part = { ...eventPart(ids.next(), 'assignment', createdAt, { type: 'bot', id: actors.botId }, state), assignedTo: assignee };
    } else if (i === last) {
      // An open conversation ends with the customer waiting for an answer.
      state = 'open';
      part = { ...eventPart(ids.next(), 'comment', createdAt, actors.contact, state), body: commentBody(rng, true) };
    } else {
      const roll = rng.next();
      if (roll < 0.06) {
        part = { ...eventPart(ids.next(), 'note', createdAt, admin(), state), body: htmlParagraph(rng.pick(NOTE_LINES)) };
      } else if (roll < 0.09 && state === 'closed') {
        state = 'open';
        part = eventPart(ids.next(), 'open', createdAt, actors.contact, state);
      } else if (roll < 0.11) {
        part = { ...eventPart(ids.next(), 'custom_action_finished', createdAt, admin(), state), eventDetails: { action: { name: 'Jira Create Issue', result: 'success' } } };
      } else if (roll < 0.13) {
        part = {
          ...eventPart(ids.next(), 'conversation_attribute_updated_by_admin', createdAt, admin(), state),
          eventDetails: { attribute: { name: 'Issue type' }, value: { name: 'Bug', previous: null } },
        };
      } else if (roll < 0.16 && i < last) {
        state = 'closed';
        part = eventPart(ids.next(), 'close', createdAt, admin(), state);
      } else {
        const fromContact = rng.chance(0.5);
        // A customer reply reopens a closed conversation.
        if (fromContact) state = 'open';
        const author = fromContact ? actors.contact : admin();
        part = { ...eventPart(ids.next(), 'comment', createdAt, author, state), body: commentBody(rng, fromContact) };
        if (actors.tagCount > 0 && rng.chance(0.02)) part = { ...part, tagSeqs: [rng.int(0, actors.tagCount - 1)] };
      }
    }
    parts.push(part);
  });
  return parts;
}

export function eventPart(id: string, partType: string, createdAt: number, author: AuthorRef, state: FinalState): PartRow {
  return { id, partType, createdAt, author, body: null, assignedTo: null, state, tagSeqs: [], eventDetails: null };
}

function isContactAuthor(author: AuthorRef): boolean {
  return author.type === 'user' || author.type === 'lead';
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : Math.round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

/** Statistics as Intercom computes them from the parts (and the contact-written source, if any). */
export function computeStats(parts: readonly PartRow[], createdAt: number, contactStarted: boolean): ConversationStats {
  let firstContactReplyAt: number | null = contactStarted ? createdAt : null;
  let lastContactReplyAt: number | null = firstContactReplyAt;
  let firstAdminReplyAt: number | null = null;
  let lastAdminReplyAt: number | null = null;
  let firstAssignmentAt: number | null = null;
  let lastAssignmentAt: number | null = null;
  let lastAssignmentAdminReplyAt: number | null = null;
  let firstCloseAt: number | null = null;
  let lastCloseAt: number | null = null;
  let lastClosedById: string | null = null;
  let countReopens = 0;
  let countAssignments = 0;
  let waitingFrom: number | null = firstContactReplyAt;
  const replyDelays: number[] = [];
  for (const part of parts) {
    const t = part.createdAt;
    if (part.partType === 'comment' && isContactAuthor(part.author)) {
      firstContactReplyAt ??= t;
      lastContactReplyAt = t;
      waitingFrom ??= t;
    } else if (part.partType === 'comment' && part.author.type === 'admin') {
      firstAdminReplyAt ??= t;
      lastAdminReplyAt = t;
      if (lastAssignmentAt !== null && lastAssignmentAdminReplyAt === null) lastAssignmentAdminReplyAt = t;
      if (waitingFrom !== null) replyDelays.push(t - waitingFrom);
      waitingFrom = null;
    } else if (part.partType === 'assignment') {
      firstAssignmentAt ??= t;
      lastAssignmentAt = t;
      lastAssignmentAdminReplyAt = null;
      countAssignments++;
    } else if (part.partType === 'close') {
      firstCloseAt ??= t;
      lastCloseAt = t;
      lastClosedById = part.author.id;
    } else if (part.partType === 'open') {
      countReopens++;
    }
  }
  return {
    firstContactReplyAt,
    firstAssignmentAt,
    firstAdminReplyAt,
    firstCloseAt,
    lastAssignmentAt,
    lastAssignmentAdminReplyAt,
    lastContactReplyAt,
    lastAdminReplyAt,
    lastCloseAt,
    lastClosedById,
    countReopens,
    countAssignments,
    countConversationParts: parts.length,
    medianTimeToReply: median(replyDelays),
    handlingTime: firstAssignmentAt !== null && lastCloseAt !== null ? lastCloseAt - firstAssignmentAt : null,
  };
}

/** The `statistics` object of a conversation. Unknown values are null, as the API sends them. */
export function renderStats(stats: ConversationStats, createdAt: number, teamName: string | null, teamId: number): Json {
  const since = (t: number | null): number | null => (t === null ? null : t - createdAt);
  const responseTimes =
    teamId !== 0 && stats.firstAdminReplyAt !== null
      ? [{ team_id: teamId, team_name: teamName ?? 'Unassigned', response_time: stats.firstAdminReplyAt - createdAt }]
      : [];
  return {
    type: 'conversation_statistics',
    time_to_assignment: since(stats.firstAssignmentAt),
    time_to_admin_reply: since(stats.firstAdminReplyAt),
    time_to_first_close: since(stats.firstCloseAt),
    time_to_last_close: since(stats.lastCloseAt),
    median_time_to_reply: stats.medianTimeToReply,
    first_contact_reply_at: stats.firstContactReplyAt,
    first_assignment_at: stats.firstAssignmentAt,
    first_admin_reply_at: stats.firstAdminReplyAt,
    first_close_at: stats.firstCloseAt,
    last_assignment_at: stats.lastAssignmentAt,
    last_assignment_admin_reply_at: stats.lastAssignmentAdminReplyAt,
    last_contact_reply_at: stats.lastContactReplyAt,
    last_admin_reply_at: stats.lastAdminReplyAt,
    last_close_at: stats.lastCloseAt,
    last_closed_by_id: stats.lastClosedById,
    count_reopens: stats.countReopens,
    count_assignments: stats.countAssignments,
    count_conversation_parts: stats.countConversationParts,
    assigned_team_first_response_time: responseTimes,
    assigned_team_first_response_time_in_office_hours: responseTimes,
    handling_time: stats.handlingTime,
    adjusted_handling_time: stats.handlingTime === null ? null : Math.floor(stats.handlingTime * 0.6),
  };
}
