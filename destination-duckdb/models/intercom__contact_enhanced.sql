-- One row per current (not deleted) contact, with its tags and companies.
WITH contact_tags AS (
  SELECT ct.contact_id, string_agg(DISTINCT t.name, ', ' ORDER BY t.name) AS all_contact_tags
  FROM stg_contact_tags ct
  JOIN stg_tags t ON t.id = ct.tag_id
  GROUP BY ct.contact_id
),
contact_companies AS (
  SELECT cc.contact_id, string_agg(DISTINCT co.name, ', ' ORDER BY co.name) AS all_contact_company_names
  FROM stg_contact_companies cc
  JOIN stg_companies co ON co.id = cc.company_id
  GROUP BY cc.contact_id
)
SELECT
  current_database() || '.' || current_schema() AS source_relation,
  c.id AS contact_id,
  c.owner_id AS admin_id,
  c.created_at,
  c.updated_at,
  c.signed_up_at,
  c.name AS contact_name,
  c.role AS contact_role,
  c.email AS contact_email,
  c.last_contacted_at,
  c.last_email_clicked_at,
  c.last_email_opened_at,
  c.last_replied_at,
  c.last_seen_at,
  c.unsubscribed_from_emails AS is_unsubscribed_from_emails,
  tags.all_contact_tags,
  companies.all_contact_company_names,
  c.external_id AS contact_external_id
FROM stg_contacts c
LEFT JOIN contact_tags tags ON tags.contact_id = c.id
LEFT JOIN contact_companies companies ON companies.contact_id = c.id
