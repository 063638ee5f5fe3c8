import { runQuery } from './query.js';

export interface ConversationMetricRow {
  conversation_state: string | null;
  count_total_parts: number;
  count_reopens: number;
  count_assignments: number;
  time_to_first_response_minutes: number | null;
  time_to_first_close_minutes: number | null;
  time_to_last_close_minutes: number | null;
  last_close_by_admin_id: string | null;
  first_contact_author_id: string | null;
}

export interface ModelMetrics {
  /** intercom__conversation_metrics by conversation_id. */
  conversations: Map<string, ConversationMetricRow>;
  /** intercom__admin_metrics by admin_id (team columns dropped; the metrics are per admin). */
  admins: Map<string, { total_conversations_closed: number; median_time_to_first_response_time_minutes: number | null; median_time_to_last_close_minutes: number | null }>;
  /** intercom__company_metrics by company_id. */
  companies: Map<string, { total_conversations_closed: number; median_time_to_last_close_minutes: number | null }>;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * The models' values read back from a database file, for cross-checks at
 * scale against values computed elsewhere (e.g. from a simulator's data).
 */
export async function modelMetrics(database: string, schema = 'main'): Promise<ModelMetrics> {
  const q = (sql: string) => runQuery(database, sql.replaceAll('$schema', `"${schema.replaceAll('"', '""')}"`));
  const conversations = new Map<string, ConversationMetricRow>();
  for (const r of (await q('SELECT * FROM $schema.intercom__conversation_metrics')).rows) {
    conversations.set(String(r.conversation_id), {
      conversation_state: str(r.conversation_state),
      count_total_parts: Number(r.count_total_parts),
      count_reopens: Number(r.count_reopens),
      count_assignments: Number(r.count_assignments),
      time_to_first_response_minutes: num(r.time_to_first_response_minutes),
      time_to_first_close_minutes: num(r.time_to_first_close_minutes),
      time_to_last_close_minutes: num(r.time_to_last_close_minutes),
      last_close_by_admin_id: str(r.last_close_by_admin_id),
      first_contact_author_id: str(r.first_contact_author_id),
    });
  }
  const admins: ModelMetrics['admins'] = new Map();
  for (const r of (await q('SELECT DISTINCT admin_id, total_conversations_closed, median_time_to_first_response_time_minutes, median_time_to_last_close_minutes FROM $schema.intercom__admin_metrics')).rows) {
    admins.set(String(r.admin_id), {
      total_conversations_closed: Number(r.total_conversations_closed),
      median_time_to_first_response_time_minutes: num(r.median_time_to_first_response_time_minutes),
      median_time_to_last_close_minutes: num(r.median_time_to_last_close_minutes),
    });
  }
  const companies: ModelMetrics['companies'] = new Map();
  for (const r of (await q('SELECT company_id, total_conversations_closed, median_time_to_last_close_minutes FROM $schema.intercom__company_metrics')).rows) {
    companies.set(String(r.company_id), { total_conversations_closed: Number(r.total_conversations_closed), median_time_to_last_close_minutes: num(r.median_time_to_last_close_minutes) });
  }
  return { conversations, admins, companies };
}
