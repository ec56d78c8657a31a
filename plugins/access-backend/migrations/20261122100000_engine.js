/*
 * The provisioning engine: leases and end reasons on grants, credentials shown once, fulfilment
 * tasks for people, reconciliation findings, and extension requests.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('access_grants', table => {
    table
      .string('grantee_ref', 255)
      .nullable()
      .comment('Copied from the request, to find overlapping grants');
    table
      .string('end_reason', 16)
      .nullable()
      .comment('expired or revoked: what the revocation in progress ends as');
    table
      .text('credentials')
      .nullable()
      .comment('Encrypted credentials, erased once shown');
    table
      .string('credentials_state', 16)
      .notNullable()
      .defaultTo('none')
      .comment('none, ready or shown');
    table
      .timestamp('missing_since', { useTz: true })
      .nullable()
      .comment('Reconciliation found the access gone while the grant is live');
    table.index(
      ['provisioner_id', 'resource_ref', 'permission', 'grantee_ref'],
      'access_grants_overlap_idx',
    );
  });
  await knex('access_grants').update({
    grantee_ref: knex('access_requests')
      .select('grantee_ref')
      .where('access_requests.id', knex.ref('access_grants.request_id')),
  });

  await knex.schema.alterTable('access_requests', table => {
    table
      .string('extends_request_id', 36)
      .nullable()
      .comment('The active request this one asks to extend');
    table
      .timestamp('stage_started_at', { useTz: true })
      .nullable()
      .comment('When the current approval stage began waiting');
    table
      .integer('reminded_stage')
      .nullable()
      .comment('The stage whose approvers were last reminded');
    table
      .integer('escalated_stage')
      .nullable()
      .comment('The stage last escalated');
    table.index(['status', 'ends_at'], 'access_requests_status_end_idx');
  });

  await knex.schema.createTable('access_fulfilment_tasks', table => {
    table.comment('Grant or revoke work that people do by hand');
    table.string('id', 36).primary();
    table
      .string('grant_id', 36)
      .notNullable()
      .references('id')
      .inTable('access_grants')
      .onDelete('CASCADE');
    table.string('request_id', 36).notNullable();
    table.string('action', 16).notNullable();
    table.text('instructions').notNullable();
    table.string('state', 16).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('completed_at', { useTz: true }).nullable();
    table.string('completed_by', 255).nullable();
    table.string('note', 500).nullable();
    table.index(['state', 'created_at', 'id'], 'access_fulfilment_state_idx');
    table.index(['grant_id'], 'access_fulfilment_grant_idx');
  });

  await knex.schema.createTable('access_fulfilment_assignees', table => {
    table.comment('Who may complete a fulfilment task (the resource owners)');
    table
      .string('task_id', 36)
      .notNullable()
      .references('id')
      .inTable('access_fulfilment_tasks')
      .onDelete('CASCADE');
    table.string('assignee_ref', 255).notNullable();
    table.primary(['task_id', 'assignee_ref']);
    table.index(['assignee_ref', 'task_id'], 'access_fulfilment_assignee_idx');
  });

  await knex.schema.createTable('access_reconciliation_findings', table => {
    table.comment('Differences between a provisioner and the database');
    table.string('id', 36).primary();
    table.string('provisioner_id', 255).notNullable();
    table.string('kind', 32).notNullable();
    table.string('resource_ref', 255).notNullable();
    table.string('permission', 255).notNullable();
    table.string('grantee_ref', 255).notNullable();
    table.string('grant_id', 36).nullable();
    table.text('detail').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['created_at', 'id'], 'access_reconciliation_created_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('access_reconciliation_findings');
  await knex.schema.dropTable('access_fulfilment_assignees');
  await knex.schema.dropTable('access_fulfilment_tasks');
  await knex.schema.alterTable('access_requests', table => {
    table.dropIndex(['status', 'ends_at'], 'access_requests_status_end_idx');
    for (const column of [
      'extends_request_id',
      'stage_started_at',
      'reminded_stage',
      'escalated_stage',
    ]) {
      table.dropColumn(column);
    }
  });
  await knex.schema.alterTable('access_grants', table => {
    table.dropIndex(
      ['provisioner_id', 'resource_ref', 'permission', 'grantee_ref'],
      'access_grants_overlap_idx',
    );
    for (const column of [
      'grantee_ref',
      'end_reason',
      'credentials',
      'credentials_state',
      'missing_since',
    ]) {
      table.dropColumn(column);
    }
  });
};
