-- One row per admin and team the admin is in (one row with a null team when
-- in none). A conversation counts for the admin who last closed it, when the
-- conversation is assigned to an admin.
WITH attributed AS (
  SELECT *
  FROM intercom__conversation_metrics
  WHERE is_assignee_admin AND last_close_by_admin_id IS NOT NULL
),
per_admin AS (
  SELECT
    last_close_by_admin_id AS admin_id,
    sum(CASE WHEN conversation_state = 'closed' THEN 1 ELSE 0 END) AS total_conversations_closed,
    round(avg(count_total_parts), 2) AS average_conversation_parts,
    avg(conversation_rating) AS average_conversation_rating,
    round(quantile_cont(count_reopens, 0.5), 2) AS median_conversations_reopened,
    round(quantile_cont(count_assignments, 0.5), 2) AS median_conversation_assignments,
    round(quantile_cont(time_to_first_response_minutes, 0.5), 2) AS median_time_to_first_response_time_minutes,
    round(quantile_cont(time_to_last_close_minutes, 0.5), 2) AS median_time_to_last_close_minutes,
    round(quantile_cont(time_to_first_close_minutes, 0.5), 2) AS median_time_to_first_close_minutes
  FROM attributed
  GROUP BY last_close_by_admin_id
)
SELECT DISTINCT
  current_database() || '.' || current_schema() AS source_relation,
  a.id AS admin_id,
  a.name AS admin_name,
  t.id AS team_id,
  t.name AS team_name,
  a.job_title,
  coalesce(m.total_conversations_closed, 0) AS total_conversations_closed,
  m.average_conversation_parts,
  m.average_conversation_rating,
  m.median_conversations_reopened,
  m.median_conversation_assignments,
  m.median_time_to_first_response_time_minutes,
  m.median_time_to_last_close_minutes,
  m.median_time_to_first_close_minutes,
  a.email AS admin_email
FROM stg_admins a
LEFT JOIN per_admin m ON m.admin_id = a.id
LEFT JOIN stg_team_admins ta ON ta.admin_id = a.id
LEFT JOIN stg_teams t ON t.id = ta.team_id
