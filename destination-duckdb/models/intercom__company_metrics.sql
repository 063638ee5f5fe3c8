-- One row per current company: company_enhanced plus metrics of the
-- conversations whose first contact author belongs to the company. Each
-- conversation counts once per company, however the contact is linked.
WITH company_conversations AS (
  SELECT DISTINCT
    cc.company_id,
    m.conversation_id,
    m.conversation_state,
    m.count_total_parts,
    m.conversation_rating,
    m.count_reopens,
    m.time_to_first_response_minutes,
    m.time_to_last_close_minutes,
    m.time_to_first_close_minutes
  FROM intercom__conversation_metrics m
  JOIN intercom__contact_enhanced ct ON ct.contact_id = m.first_contact_author_id
  JOIN stg_contact_companies cc ON cc.contact_id = ct.contact_id
),
per_company AS (
  SELECT
    company_id,
    sum(CASE WHEN conversation_state = 'closed' THEN 1 ELSE 0 END) AS total_conversations_closed,
    round(avg(count_total_parts), 2) AS average_conversation_parts,
    avg(conversation_rating) AS average_conversation_rating,
    round(quantile_cont(count_reopens, 0.5), 2) AS median_conversations_reopened,
    round(quantile_cont(time_to_first_response_minutes, 0.5), 2) AS median_time_to_first_response_time_minutes,
    round(quantile_cont(time_to_last_close_minutes, 0.5), 2) AS median_time_to_last_close_minutes,
    round(quantile_cont(time_to_first_close_minutes, 0.5), 2) AS median_time_to_first_close_minutes,
    count(*) AS total_conversations
  FROM company_conversations
  GROUP BY company_id
)
SELECT
  c.*,
  coalesce(m.total_conversations_closed, 0) AS total_conversations_closed,
  m.average_conversation_parts,
  m.average_conversation_rating,
  m.median_conversations_reopened,
  m.median_time_to_first_response_time_minutes,
  m.median_time_to_last_close_minutes,
  m.median_time_to_first_close_minutes,
  coalesce(m.total_conversations, 0) AS total_conversations
FROM intercom__company_enhanced c
LEFT JOIN per_company m ON m.company_id = c.company_id
