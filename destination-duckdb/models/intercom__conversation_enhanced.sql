-- One row per current (not deleted) conversation: its attributes, the first
-- and last close / contact / team events of its parts, and its tags,
-- companies, admins and contacts.
WITH parts AS (
  SELECT
    p.id AS conversation_part_id,
    p.conversation_id,
    p.part_type,
    p.created_at,
    p.author ->> 'type' AS author_type,
    p.author ->> 'id' AS author_id,
    p.assigned_to ->> 'type' AS assigned_to_type,
    p.assigned_to ->> 'id' AS assigned_to_id
  FROM stg_conversation_parts p
  SEMI JOIN stg_conversations c ON c.id = p.conversation_id
),
part_events AS (
  SELECT
    conversation_id,
    min(created_at) FILTER (WHERE part_type = 'close') AS first_close_at,
    max(created_at) FILTER (WHERE part_type = 'close') AS last_close_at,
    min(created_at) FILTER (WHERE part_type = 'close' AND author_type = 'admin') AS first_admin_close_at,
    max(created_at) FILTER (WHERE part_type = 'close' AND author_type = 'admin') AS last_admin_close_at,
    first(author_id ORDER BY created_at, conversation_part_id) FILTER (WHERE part_type = 'close' AND author_type = 'admin') AS first_close_by_admin_id,
    first(author_id ORDER BY created_at DESC, conversation_part_id DESC) FILTER (WHERE part_type = 'close' AND author_type = 'admin') AS last_close_by_admin_id,
    first(author_id ORDER BY created_at, conversation_part_id) FILTER (WHERE part_type = 'close') AS first_close_by_author_id,
    first(author_id ORDER BY created_at DESC, conversation_part_id DESC) FILTER (WHERE part_type = 'close') AS last_close_by_author_id,
    first(author_id ORDER BY created_at, conversation_part_id) FILTER (WHERE author_type IN ('user', 'lead')) AS first_contact_author_id,
    first(author_id ORDER BY created_at DESC, conversation_part_id DESC) FILTER (WHERE author_type IN ('user', 'lead')) AS last_contact_author_id,
    first(assigned_to_id ORDER BY created_at, conversation_part_id) FILTER (WHERE assigned_to_type = 'team') AS first_team_id,
    first(assigned_to_id ORDER BY created_at DESC, conversation_part_id DESC) FILTER (WHERE assigned_to_type = 'team') AS last_team_id,
    string_agg(DISTINCT author_id, ', ' ORDER BY author_id) FILTER (WHERE author_type = 'admin') AS all_conversation_admins,
    string_agg(DISTINCT author_id, ', ' ORDER BY author_id) FILTER (WHERE author_type IN ('user', 'lead')) AS all_conversation_contacts
  FROM parts
  GROUP BY conversation_id
),
conversation_tags AS (
  SELECT ct.conversation_id, string_agg(DISTINCT t.name, ', ' ORDER BY t.name) AS all_conversation_tags
  FROM stg_conversation_tags ct
  JOIN stg_tags t ON t.id = ct.tag_id
  GROUP BY ct.conversation_id
)
SELECT
  current_database() || '.' || current_schema() AS source_relation,
  c.id AS conversation_id,
  c.created_at AS conversation_created_at,
  c.updated_at AS conversation_last_updated_at,
  c.source ->> 'type' AS conversation_type,
  c.source ->> 'delivered_as' AS conversation_initiated_type,
  c.source ->> 'subject' AS conversation_subject,
  coalesce(c.admin_assignee_id, c.team_assignee_id) AS conversation_assignee_id,
  CASE WHEN c.admin_assignee_id IS NOT NULL THEN 'admin' WHEN c.team_assignee_id IS NOT NULL THEN 'team' ELSE 'unassigned' END AS conversation_assignee_type,
  c.source -> 'author' ->> 'type' AS conversation_author_type,
  c.state AS conversation_state,
  c.read AS is_read,
  c.waiting_since,
  c.snoozed_until,
  c.sla_applied ->> 'sla_name' AS sla_name,
  c.sla_applied ->> 'sla_status' AS sla_status,
  TRY_CAST(c.conversation_rating ->> 'rating' AS BIGINT) AS conversation_rating,
  c.conversation_rating ->> 'remark' AS conversation_remark,
  assignee.id IS NOT NULL AS is_assignee_admin,
  e.first_close_at,
  e.last_close_at,
  e.first_admin_close_at,
  e.last_admin_close_at,
  e.first_close_by_admin_id,
  e.last_close_by_admin_id,
  e.first_close_by_author_id,
  e.last_close_by_author_id,
  e.first_contact_author_id,
  e.last_contact_author_id,
  e.first_team_id,
  e.last_team_id,
  first_team.name AS first_team_name,
  last_team.name AS last_team_name,
  tags.all_conversation_tags,
  contact.all_contact_company_names,
  e.all_conversation_admins,
  e.all_conversation_contacts,
  c.title AS conversation_title,
  c.priority AS conversation_priority,
  c.team_assignee_id AS conversation_team_assignee_id
FROM stg_conversations c
LEFT JOIN part_events e ON e.conversation_id = c.id
LEFT JOIN stg_admins assignee ON assignee.id = c.admin_assignee_id
LEFT JOIN stg_teams first_team ON first_team.id = e.first_team_id
LEFT JOIN stg_teams last_team ON last_team.id = e.last_team_id
LEFT JOIN conversation_tags tags ON tags.conversation_id = c.id
LEFT JOIN intercom__contact_enhanced contact ON contact.contact_id = e.first_contact_author_id
