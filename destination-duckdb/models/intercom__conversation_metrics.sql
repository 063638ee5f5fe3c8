-- One row per current conversation: conversation_enhanced plus counts of its
-- parts and the time (minutes, two decimals) to its first assignment,
-- response and closes. No business-hours adjustment.
WITH parts AS (
  SELECT
    p.id AS conversation_part_id,
    p.conversation_id,
    p.part_type,
    p.body,
    p.created_at,
    p.author ->> 'type' AS author_type
  FROM stg_conversation_parts p
  SEMI JOIN stg_conversations c ON c.id = p.conversation_id
),
part_aggregates AS (
  SELECT
    conversation_id,
    count(conversation_part_id) AS count_total_parts,
    count(*) FILTER (WHERE part_type LIKE '%assignment%') AS count_assignments,
    count(*) FILTER (WHERE part_type = 'open') AS count_reopens,
    min(created_at) FILTER (WHERE part_type = 'comment' AND author_type IN ('lead', 'user')) AS first_contact_reply_at,
    max(created_at) FILTER (WHERE part_type = 'comment' AND author_type IN ('lead', 'user')) AS last_contact_reply_at,
    min(created_at) FILTER (WHERE part_type LIKE '%assignment%') AS first_assignment_at,
    max(created_at) FILTER (WHERE part_type LIKE '%assignment%') AS last_assignment_at,
    min(created_at) FILTER (WHERE part_type IN ('comment', 'assignment') AND author_type = 'admin' AND body IS NOT NULL) AS first_admin_response_at,
    max(created_at) FILTER (WHERE part_type IN ('comment', 'assignment') AND author_type = 'admin' AND body IS NOT NULL) AS last_admin_response_at,
    min(created_at) FILTER (WHERE part_type = 'open') AS first_reopen_at,
    max(created_at) FILTER (WHERE part_type = 'open') AS last_reopen_at
  FROM parts
  GROUP BY conversation_id
),
joined AS (
  SELECT
    e.*,
    coalesce(a.count_reopens, 0) AS count_reopens,
    coalesce(a.count_total_parts, 0) AS count_total_parts,
    coalesce(a.count_assignments, 0) AS count_assignments,
    a.first_contact_reply_at,
    a.first_assignment_at,
    a.first_admin_response_at,
    a.first_reopen_at,
    a.last_assignment_at,
    a.last_contact_reply_at,
    a.last_admin_response_at,
    a.last_reopen_at
  FROM intercom__conversation_enhanced e
  LEFT JOIN part_aggregates a ON a.conversation_id = e.conversation_id
)
SELECT
  *,
  round((epoch(first_assignment_at) - epoch(conversation_created_at)) / 60, 2) AS time_to_first_assignment_minutes,
  round((epoch(first_admin_response_at) - epoch(conversation_created_at)) / 60, 2) AS time_to_first_response_minutes,
  round((epoch(first_admin_close_at) - epoch(first_contact_reply_at)) / 60, 2) AS time_to_admin_first_close_minutes,
  round((epoch(first_close_at) - epoch(first_contact_reply_at)) / 60, 2) AS time_to_first_close_minutes,
  round((epoch(last_assignment_at) - epoch(conversation_created_at)) / 60, 2) AS time_to_last_assignment_minutes,
  round((epoch(last_admin_close_at) - epoch(first_contact_reply_at)) / 60, 2) AS time_to_admin_last_close_minutes,
  round((epoch(last_close_at) - epoch(first_contact_reply_at)) / 60, 2) AS time_to_last_close_minutes
FROM joined
