-- One row per current (not deleted) company, with its tags.
WITH company_tags AS (
  SELECT ct.company_id, string_agg(DISTINCT t.name, ', ' ORDER BY t.name) AS all_company_tags
  FROM stg_company_tags ct
  JOIN stg_tags t ON t.id = ct.tag_id
  GROUP BY ct.company_id
)
SELECT
  current_database() || '.' || current_schema() AS source_relation,
  co.id AS company_id,
  co.name AS company_name,
  co.website,
  co.industry,
  co.created_at,
  co.updated_at,
  co.user_count,
  co.session_count,
  co.monthly_spend,
  co.plan ->> 'id' AS plan_id,
  co.plan ->> 'name' AS plan_name,
  tags.all_company_tags,
  -- Fivetran's history-mode columns, for the current version each row is.
  true AS _fivetran_active,
  co._version_start AS _fivetran_start,
  CAST(NULL AS TIMESTAMPTZ) AS _fivetran_end,
  co.company_id AS company_external_id
FROM stg_companies co
LEFT JOIN company_tags tags ON tags.company_id = co.id
