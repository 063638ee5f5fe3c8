/**
 * Builds the whole seeded workspace: catalog, people, conversations, tickets
 * and activity logs, wired into tables with their indexes.
 */
import type { GenerationOptions } from '../options.js';
import { Rng } from '../rng.js';
import { generateActivityLogs } from './activity-logs.js';
import { generateCatalog, type Catalog } from './catalog.js';
import { generateConversations, type ConversationLandmarks } from './generate-conversations.js';
import { generateCompanies, generateContacts, type PeopleLandmarks } from './generate-people.js';
import { generateTickets } from './generate-tickets.js';
import { objectIdSchemes } from './ids.js';
import type { CompanyRow, ContactRow, ConversationRow, TicketRow } from './rows.js';
import { RowTable, type Tables } from './tables.js';

export interface Landmarks {
  people: PeopleLandmarks;
  conversations: ConversationLandmarks;
}

export interface Workspace {
  catalog: Catalog;
  tables: Tables;
  landmarks: Landmarks;
}

export const isLiveContact = (row: ContactRow): boolean => row.status === 'live';
export const isLiveCompany = (row: CompanyRow): boolean => row.status === 'live';
export const isLiveConversation = (row: ConversationRow): boolean => !row.deleted;
export const isLiveTicket = (_row: TicketRow): boolean => true;

export function generateWorkspace(options: GenerationOptions): Workspace {
  const catalog = generateCatalog(options);
  const schemes = objectIdSchemes(options.seed);
  const companies = generateCompanies(options, schemes.companies);
  const { contacts, landmarks: people } = generateContacts(options, schemes.contacts, companies.length, catalog.tags.length);
  const generated = generateConversations(options, catalog, contacts);
  const ticketsResult = generateTickets(options, catalog, contacts, generated.conversations);
  const activityLogs = generateActivityLogs(options, catalog, new Rng(options.seed ^ 0xac71));

  const companyMembers: number[][] = companies.map(() => []);
  for (const contact of contacts) {
    for (const company of contact.companies) companyMembers[company]?.push(contact.seq);
  }
  const conversationSeqById = new Map(ticketsResult.conversations.map((c) => [c.id, c.seq]));
  const ticketSeqById = new Map(ticketsResult.tickets.map((t) => [t.id, t.seq]));

  const tables: Tables = {
    contacts: new RowTable(contacts, isLiveContact),
    companies: new RowTable(companies, isLiveCompany),
    conversations: new RowTable(ticketsResult.conversations, isLiveConversation),
    tickets: new RowTable(ticketsResult.tickets, isLiveTicket),
    companyMembers,
    activityLogs,
    deletedConversations: generated.deleted,
    conversationSeqById,
    ticketSeqById,
    ids: {
      contacts: schemes.contacts,
      companies: schemes.companies,
      conversations: generated.conversationIds,
      parts: generated.partIds,
      sources: generated.sourceIds,
      tickets: ticketsResult.ticketIds,
      ticketParts: ticketsResult.ticketPartIds,
    },
  };
  return { catalog, tables, landmarks: { people, conversations: generated.landmarks } };
}
