-- Seeds the access plugin's tables for the API benchmark (bench/api/run.sh), in SQL only.
--   node bench/api/db.js seed   (or: psql -v n=1000000 -v t0=<ISO time> -d backstage_plugin_access
--                                 -f bench/api/seed.sql)
--
-- n requests over the last 365 days (one every 31.5 s, ms-precise like the backend writes them),
-- spread over the demo users. Every request has one grant, its resolved approvers per stage (as
-- the flows of app-config.yaml resolve them) and the decisions it went through:
--   * the newest ~6,000 requests (about 2 days): 75% pending_approval, 15% active, the rest
--     rejected or cancelled;
--   * older ones are closed: expired, revoked, rejected, cancelled, a few failed.
-- Pending requests get a pending deadline 7 days ahead, so the timeout task leaves them alone.
-- Pseudo-random choices come from hashint8extended(i, seed): the same data at every run.
-- Rows are inserted oldest first, as the backend would have written them, so that the tables'
-- physical order follows created_at as it does in a real database.
\set ON_ERROR_STOP on

BEGIN;
-- Bulk load: no foreign-key triggers (the rows are consistent by construction), no fsync wait.
SET LOCAL session_replication_role = replica;
SET LOCAL synchronous_commit = off;
SET LOCAL work_mem = '64MB';
SET LOCAL maintenance_work_mem = '256MB';
SET LOCAL jit = off;

CREATE TEMP TABLE seed ON COMMIT DROP AS
WITH base AS (
  SELECT
    i,
    :n - i AS k, -- age rank: 0 is the newest
    abs(hashint8extended(i, 1) % 100) AS u_user,
    abs(hashint8extended(i, 2) % 100) AS u_behalf,
    abs(hashint8extended(i, 3) % 100) AS u_res,
    abs(hashint8extended(i, 4) % 100) AS u_perm,
    abs(hashint8extended(i, 5) % 1000) AS u_status,
    abs(hashint8extended(i, 6) % 20000) AS jitter_ms,
    abs(hashint8extended(i, 7) % 3600) AS decide_s
  FROM generate_series(1, :n) AS i
),
who AS (
  SELECT
    b.*,
    'user:default/' || CASE
      WHEN u_user < 30 THEN 'dana'
      WHEN u_user < 55 THEN 'sam'
      WHEN u_user < 65 THEN 'lee'
      WHEN u_user < 75 THEN 'riley'
      WHEN u_user < 83 THEN 'morgan'
      ELSE 'alex'
    END AS grantee_ref
  FROM base b
),
who2 AS (
  SELECT
    w.*,
    -- 5% are asked for by the platform admin on someone's behalf.
    CASE
      WHEN u_behalf < 5 AND grantee_ref <> 'user:default/alex' THEN 'user:default/alex'
      ELSE grantee_ref
    END AS requester_ref,
    CASE
      WHEN u_res < 50 THEN 'payments-db'
      WHEN u_res < 65 THEN 'analytics-warehouse'
      WHEN u_res < 78 THEN 'staging-cluster'
      WHEN u_res < 89 THEN 'admin-console'
      ELSE 'aws-prod-admin'
    END AS wanted
  FROM who w
),
res AS (
  -- Nobody asks for what only they could approve (the backend refuses it): fall back to the
  -- payments database, which dana and lee approve for each other.
  SELECT
    w.*,
    CASE
      WHEN wanted = 'analytics-warehouse'
        AND 'user:default/sam' IN (grantee_ref, requester_ref) THEN 'payments-db'
      WHEN wanted = 'staging-cluster'
        AND 'user:default/alex' IN (grantee_ref, requester_ref) THEN 'payments-db'
      WHEN wanted = 'admin-console'
        AND ('user:default/lee' IN (grantee_ref, requester_ref)
          OR 'user:default/riley' IN (grantee_ref, requester_ref)
          OR 'user:default/morgan' IN (grantee_ref, requester_ref)) THEN 'payments-db'
      WHEN wanted = 'aws-prod-admin'
        AND ('user:default/riley' IN (grantee_ref, requester_ref)
          OR 'user:default/morgan' IN (grantee_ref, requester_ref)) THEN 'payments-db'
      ELSE wanted
    END AS resource
  FROM who2 w
),
shaped AS (
  SELECT
    r.*,
    date_trunc(
      'milliseconds',
      :'t0'::timestamptz - k * interval '31536 ms' - jitter_ms * interval '1 ms'
    ) AS created_at,
    CASE
      WHEN k < 6000 THEN CASE
        WHEN u_status < 750 THEN 'pending_approval'
        WHEN u_status < 900 THEN 'active'
        WHEN u_status < 950 THEN 'rejected'
        ELSE 'cancelled'
      END
      ELSE CASE
        WHEN u_status < 550 THEN 'expired'
        WHEN u_status < 680 THEN 'revoked'
        WHEN u_status < 800 THEN 'rejected'
        WHEN u_status < 920 THEN 'cancelled'
        WHEN u_status < 960 THEN 'failed'
        ELSE 'expired'
      END
    END AS status
  FROM res r
)
SELECT
  s.*,
  md5('request:' || i)::uuid::text AS id,
  md5('submission:' || i)::uuid::text AS submission_id,
  'resource:default/' || resource AS resource_ref,
  CASE resource
    WHEN 'payments-db' THEN CASE WHEN u_perm < 80 THEN 'read' ELSE 'write' END
    WHEN 'analytics-warehouse' THEN 'read'
    WHEN 'staging-cluster' THEN 'edit'
    WHEN 'admin-console' THEN 'admin'
    ELSE 'assume'
  END AS permission,
  CASE resource
    WHEN 'payments-db' THEN 'database-owner-approval'
    WHEN 'analytics-warehouse' THEN 'team-resources'
    WHEN 'staging-cluster' THEN 'team-resources'
    WHEN 'admin-console' THEN 'admin-two-stage'
    ELSE 'production-cloud-quorum'
  END AS flow_id,
  CASE resource WHEN 'payments-db' THEN 'postgres' ELSE 'manual' END AS provisioner_id,
  CASE resource
    WHEN 'payments-db' THEN CASE WHEN u_perm < 80 THEN 'PT1H' ELSE 'PT4H' END
    WHEN 'analytics-warehouse' THEN 'PT2H'
    WHEN 'staging-cluster' THEN 'PT8H'
    WHEN 'admin-console' THEN 'PT30M'
    ELSE 'PT1H'
  END AS duration,
  -- The stage-0 decider: an approver who is neither requester nor grantee.
  CASE resource
    WHEN 'payments-db' THEN CASE
      WHEN 'user:default/lee' IN (grantee_ref, requester_ref) THEN 'user:default/dana'
      ELSE 'user:default/lee'
    END
    WHEN 'analytics-warehouse' THEN 'user:default/sam'
    WHEN 'staging-cluster' THEN 'user:default/alex'
    WHEN 'admin-console' THEN 'user:default/lee'
    ELSE 'user:default/riley'
  END AS decider0,
  created_at + decide_s * interval '1 s' + interval '30 s' AS decided_at
FROM shaped s;

-- Secondary indexes are built once after the load, not row by row: the definitions the
-- migrations made are kept and replayed (primary keys and unique constraints stay).
CREATE TEMP TABLE seed_indexes ON COMMIT DROP AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
WHERE i.indrelid IN (
    'access_requests'::regclass, 'access_grants'::regclass,
    'access_request_approvers'::regclass, 'access_approvals'::regclass
  )
  AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT name FROM seed_indexes LOOP
    EXECUTE 'DROP INDEX ' || r.name;
  END LOOP;
END $$;

-- Requests.
INSERT INTO access_requests (
  id, submission_id, requester_ref, grantee_ref, flow_id, status, status_reason, version,
  justification, ticket_type, ticket_id, answers, duration, starts_at, ends_at,
  pending_deadline, extensions_used, current_stage, bundle_id, created_at, updated_at
)
SELECT
  id,
  submission_id,
  requester_ref,
  grantee_ref,
  flow_id,
  status,
  CASE status
    WHEN 'rejected' THEN 'Rejected by ' || decider0
    WHEN 'cancelled' THEN 'Cancelled by the requester'
    WHEN 'failed' THEN 'approval timed out'
    WHEN 'revoked' THEN 'Revoked by ' || requester_ref
    ELSE NULL
  END,
  CASE status WHEN 'pending_approval' THEN 0 WHEN 'active' THEN 2 ELSE 3 END,
  CASE u_perm % 4
    WHEN 0 THEN 'Investigate failed payouts INC-' || (i % 9000 + 1000)
    WHEN 1 THEN 'Deploy the hotfix for CHG-' || (i % 9000 + 1000) || ' and verify it'
    WHEN 2 THEN 'Quarterly reconciliation report for finance, ticket DATA-' || (i % 900 + 100)
    ELSE 'On-call: customer escalation about missing refunds, INC-' || (i % 9000 + 1000)
  END,
  CASE WHEN resource = 'aws-prod-admin' THEN 'incident' END,
  CASE WHEN resource = 'aws-prod-admin' THEN 'INC-' || (i % 9000 + 1000) END,
  CASE
    WHEN resource = 'aws-prod-admin' THEN '{"change-scope":"Rotate the payout queue credentials"}'
    ELSE '{}'
  END,
  duration,
  CASE WHEN status IN ('active', 'expired', 'revoked') THEN decided_at END,
  CASE
    WHEN status = 'active' THEN greatest(decided_at + duration::interval, :'t0'::timestamptz + interval '8 hours')
    WHEN status IN ('expired', 'revoked') THEN decided_at + duration::interval
  END,
  CASE
    WHEN status = 'pending_approval' THEN :'t0'::timestamptz + interval '7 days'
    ELSE created_at + interval '7 days'
  END,
  0,
  CASE
    WHEN status = 'pending_approval' AND resource = 'admin-console' THEN u_perm % 2
    WHEN status IN ('active', 'expired', 'revoked') AND resource = 'admin-console' THEN 1
    ELSE 0
  END,
  NULL,
  created_at,
  CASE
    WHEN status = 'pending_approval' THEN created_at
    WHEN status = 'revoked' THEN decided_at + interval '20 minutes'
    WHEN status IN ('expired') THEN decided_at + duration::interval
    WHEN status = 'failed' THEN created_at + interval '7 days'
    ELSE decided_at
  END
FROM seed
ORDER BY i;

-- One grant per request.
INSERT INTO access_grants (
  id, request_id, resource_ref, permission, provisioner_id, state, version, external_id,
  attempts, next_attempt_at, last_error, granted_at, expires_at, revoked_at
)
SELECT
  md5('grant:' || i)::uuid::text,
  id,
  resource_ref,
  permission,
  provisioner_id,
  CASE status
    WHEN 'pending_approval' THEN 'pending'
    WHEN 'active' THEN 'active'
    WHEN 'expired' THEN 'expired'
    WHEN 'revoked' THEN 'revoked'
    ELSE 'cancelled'
  END,
  CASE WHEN status = 'pending_approval' THEN 0 ELSE 2 END,
  CASE WHEN status IN ('active', 'expired', 'revoked') THEN 'ext-' || left(id, 8) END,
  CASE WHEN status IN ('active', 'expired', 'revoked') THEN 1 ELSE 0 END,
  NULL,
  NULL,
  CASE WHEN status IN ('active', 'expired', 'revoked') THEN decided_at + interval '2 s' END,
  CASE
    WHEN status = 'active' THEN greatest(decided_at + duration::interval, :'t0'::timestamptz + interval '8 hours')
    WHEN status IN ('expired', 'revoked') THEN decided_at + duration::interval
  END,
  CASE WHEN status = 'revoked' THEN decided_at + interval '20 minutes' END
FROM seed
ORDER BY i;

-- Who may decide each stage, as the flows resolve them.
INSERT INTO access_request_approvers (request_id, stage, approver_ref, why)
SELECT s.id, a.stage, a.approver_ref, a.why
FROM seed s
CROSS JOIN LATERAL (
  VALUES
    ('payments-db', 0, 'user:default/dana',
      'member of group:default/payments, owner of resource:default/payments-db'),
    ('payments-db', 0, 'user:default/lee',
      'member of group:default/payments, owner of resource:default/payments-db'),
    ('analytics-warehouse', 0, 'user:default/sam',
      'member of group:default/data, owner of resource:default/analytics-warehouse'),
    ('staging-cluster', 0, 'user:default/alex',
      'member of group:default/platform, owner of resource:default/staging-cluster'),
    ('admin-console', 0, 'user:default/lee',
      'member of group:default/team-leads, approver of stage 1 of flow ''admin-two-stage'''),
    ('admin-console', 1, 'user:default/riley',
      'member of group:default/security, approver of stage 2 of flow ''admin-two-stage'''),
    ('admin-console', 1, 'user:default/morgan',
      'member of group:default/security, approver of stage 2 of flow ''admin-two-stage'''),
    ('aws-prod-admin', 0, 'user:default/riley',
      'member of group:default/security, approver of stage 1 of flow ''production-cloud-quorum'''),
    ('aws-prod-admin', 0, 'user:default/morgan',
      'member of group:default/security, approver of stage 1 of flow ''production-cloud-quorum''')
) AS a(resource, stage, approver_ref, why)
WHERE a.resource = s.resource
ORDER BY s.i, a.stage, a.approver_ref;

-- Decisions: approved requests carry every approval they needed, rejected ones the rejection;
-- pending two-stage requests at stage 2 carry the stage-1 approval.
INSERT INTO access_approvals (id, request_id, stage, approver_ref, decision, reason, decided_at)
SELECT md5('approval:' || s.i || ':' || d.stage || ':' || d.approver_ref)::uuid::text,
  s.id, d.stage, d.approver_ref, d.decision, d.reason, s.decided_at + d.stage * interval '5 minutes'
FROM seed s
CROSS JOIN LATERAL (
  SELECT 0 AS stage, s.decider0 AS approver_ref,
    CASE WHEN s.status = 'rejected' THEN 'reject' ELSE 'approve' END AS decision,
    CASE WHEN s.status = 'rejected' THEN 'Not needed for this ticket' END AS reason
  WHERE s.status IN ('active', 'expired', 'revoked', 'rejected')
    OR (s.status = 'pending_approval' AND s.resource = 'admin-console' AND s.u_perm % 2 = 1)
  UNION ALL
  SELECT 1, 'user:default/riley', 'approve', NULL
  WHERE s.resource = 'admin-console' AND s.status IN ('active', 'expired', 'revoked')
  UNION ALL
  SELECT 0, 'user:default/morgan', 'approve', NULL
  WHERE s.resource = 'aws-prod-admin' AND s.status IN ('active', 'expired', 'revoked')
) AS d
ORDER BY s.i, d.stage;

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT def FROM seed_indexes LOOP
    EXECUTE r.def;
  END LOOP;
END $$;

COMMIT;

-- Statistics for the planner, and the visibility map set, so that autovacuum does not start
-- on these tables in the middle of the measurements.
VACUUM (ANALYZE) access_requests;
VACUUM (ANALYZE) access_grants;
VACUUM (ANALYZE) access_request_approvers;
VACUUM (ANALYZE) access_approvals;
