/**
 * Compact row types: the ground truth of the simulated workspace.
 *
 * Rows hold only what can change or what cannot be derived. Static details
 * (names, cities, browsers, custom attribute values, ...) are derived from the
 * row's seed `h` when a row is rendered, and fields written through the store's
 * mutation API live in `overrides`. Rows are replaced, never mutated in place,
 * so a snapshot (an array of row references) never sees later changes.
 */

export type Json = Record<string, unknown>;

/** Deleted and merged rows stay (GET answers 404 or 410 for them) but leave every list. */
export type RowStatus = 'live' | 'deleted' | 'merged';

export interface ContactRow {
  readonly seq: number;
  readonly id: string;
  /** Seed of every derived attribute (30 bits, so V8 keeps it a small integer). */
  readonly h: number;
  readonly role: 'user' | 'lead';
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Flat pairs [tagSeq, appliedAt, tagSeq, appliedAt, ...]: one packed array instead of an object per tag. */
  readonly tags: readonly number[];
  /** Company seqs, in attachment order. */
  readonly companies: readonly number[];
  /** Clock time (fractional seconds) of the last write through the store; 0 for generated rows. */
  readonly writtenAt: number;
  readonly status: RowStatus;
  readonly mergedInto: string | null;
  /** Fields set through updateContact; rendered on top of the derived profile. */
  readonly overrides: Readonly<Json> | null;
}

export interface CompanyRow {
  readonly seq: number;
  readonly id: string;
  readonly h: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastRequestAt: number;
  readonly writtenAt: number;
  readonly status: RowStatus;
  readonly overrides: Readonly<Json> | null;
}

export interface AuthorRef {
  readonly type: 'admin' | 'user' | 'lead' | 'bot';
  /** Admin id, contact id, or bot id. */
  readonly id: string;
}

export interface PartRow {
  readonly id: string;
  readonly partType: string;
  readonly createdAt: number;
  readonly author: AuthorRef;
  /** HTML body, or null for event parts (assignment, close, ...). */
  readonly body: string | null;
  readonly assignedTo: { readonly type: string; readonly id: string | null } | null;
  readonly state: 'open' | 'closed' | 'snoozed';
  readonly tagSeqs: readonly number[];
  readonly eventDetails: Json | null;
}

export interface AppliedTag {
  readonly tagSeq: number;
  readonly appliedAt: number;
  readonly adminId: string;
}

export interface ConversationStats {
  readonly firstContactReplyAt: number | null;
  readonly firstAssignmentAt: number | null;
  readonly firstAdminReplyAt: number | null;
  readonly firstCloseAt: number | null;
  readonly lastAssignmentAt: number | null;
  readonly lastAssignmentAdminReplyAt: number | null;
  readonly lastContactReplyAt: number | null;
  readonly lastAdminReplyAt: number | null;
  readonly lastCloseAt: number | null;
  readonly lastClosedById: string | null;
  readonly countReopens: number;
  readonly countAssignments: number;
  readonly countConversationParts: number;
  readonly medianTimeToReply: number | null;
  readonly handlingTime: number | null;
}

export interface ConversationSource {
  readonly type: string;
  readonly id: string;
  readonly deliveredAs: string;
  readonly subject: string;
  readonly body: string;
  readonly author: AuthorRef;
  readonly url: string | null;
}

export interface ConversationRow {
  readonly seq: number;
  readonly id: string;
  readonly h: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly writtenAt: number;
  readonly deleted: boolean;
  readonly title: string | null;
  readonly state: 'open' | 'closed' | 'snoozed';
  readonly read: boolean;
  readonly priority: 'none' | 'low' | 'medium' | 'high' | 'urgent';
  readonly adminAssigneeId: number;
  readonly teamAssigneeId: number;
  readonly waitingSince: number | null;
  readonly snoozedUntil: number | null;
  /** Contact seqs. */
  readonly contacts: readonly number[];
  readonly tags: readonly AppliedTag[];
  readonly source: ConversationSource;
  /** Every part, oldest first (the API caps what it returns, the store does not). */
  readonly parts: readonly PartRow[];
  readonly stats: ConversationStats;
  readonly rating: { readonly rating: number; readonly remark: string; readonly at: number; readonly adminId: string } | null;
  readonly custom: Readonly<Record<string, string | number>>;
  readonly linkedTicketId: string | null;
  readonly aiAgent: boolean;
  readonly sla: { readonly name: string; readonly status: 'hit' | 'missed' | 'active' } | null;
  readonly channel: string;
  readonly teammateIds: readonly string[];
}

export interface TicketPartRow {
  readonly id: string;
  readonly partType: string;
  readonly createdAt: number;
  readonly author: AuthorRef;
  readonly body: string | null;
  readonly previousState: string | null;
  readonly state: string | null;
}

export interface TicketRow {
  readonly seq: number;
  readonly id: string;
  readonly ticketNumber: string;
  readonly h: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly writtenAt: number;
  /** Index into the workspace's ticket types. */
  readonly typeIndex: number;
  /** Index into that type's states. */
  readonly stateIndex: number;
  readonly previousStateId: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly contacts: readonly number[];
  readonly adminAssigneeId: number;
  readonly teamAssigneeId: number;
  readonly snoozedUntil: number | null;
  readonly isShared: boolean;
  readonly parts: readonly TicketPartRow[];
  readonly linkedConversationId: string | null;
  readonly custom: Readonly<Record<string, string | number | boolean>>;
}

export interface DeletedConversation {
  readonly id: string;
  readonly deletedAt: number;
  readonly metricsRetained: boolean;
}
