-- One row per current help-center article, with its author, collection,
-- parent collection and help center.
SELECT
  current_database() || '.' || current_schema() AS source_relation,
  ar.id AS article_id,
  ar.title,
  ar.description,
  ar.body,
  ar.author_id,
  author.name AS author_name,
  author.job_title AS author_job_title,
  ar.state AS article_state,
  lower(ar.state) = 'published' AS is_published,
  ar.created_at,
  ar.updated_at,
  ar.url,
  ar.default_locale,
  col.id AS collection_id,
  col.name AS collection_name,
  col.description AS collection_description,
  col.url AS collection_url,
  col.icon AS collection_icon,
  col."order" AS collection_display_order,
  col.parent_id AS parent_collection_id,
  col.parent_id IS NOT NULL AS is_in_nested_section,
  parent.name AS parent_collection_name,
  parent.url AS parent_collection_url,
  col.help_center_id,
  hc.display_name AS help_center_name,
  hc.identifier AS help_center_identifier,
  hc.website_turned_on AS is_help_center_website_enabled,
  -- Fivetran's history-mode columns, for the current version each row is.
  true AS _fivetran_active,
  ar._version_start AS _fivetran_start,
  CAST(NULL AS TIMESTAMPTZ) AS _fivetran_end
FROM stg_articles ar
LEFT JOIN stg_admins author ON author.id = ar.author_id
-- An article's own collection (or section) is the last of its parent_ids.
LEFT JOIN stg_help_center_collections col ON col.id = json_extract_string(ar.parent_ids, '$[#-1]')
LEFT JOIN stg_help_center_collections parent ON parent.id = col.parent_id
LEFT JOIN stg_help_centers hc ON hc.id = col.help_center_id
