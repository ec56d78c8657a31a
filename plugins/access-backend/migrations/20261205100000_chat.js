/*
 * Chat (Slack, Microsoft Teams): an outbox of chat deliveries, the references of posted
 * messages (to update them in place after a restart), and where a decision was made.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('access_chat_deliveries', table => {
    table.comment(
      'Outbox: one row per chat message to send or update, retried with backoff',
    );
    table.string('id', 36).primary();
    table
      .string('dedupe_key', 400)
      .notNullable()
      .unique({ indexName: 'access_chat_deliveries_dedupe' })
      .comment('The same message is queued once');
    table.string('channel', 16).notNullable().comment('slack or teams');
    table
      .string('kind', 32)
      .notNullable()
      .comment('approval, approval-update or requester-update');
    table.string('request_id', 36).notNullable();
    table
      .string('recipient_ref', 255)
      .nullable()
      .comment('The catalog User the message is for');
    table.integer('stage').nullable().comment('The stage an approval asks for');
    table
      .string('message_ref_id', 36)
      .nullable()
      .comment('The message an update rewrites');
    table
      .string('update_kind', 32)
      .nullable()
      .comment('A requester update: approved, rejected, failed, ...');
    table
      .string('state', 16)
      .notNullable()
      .comment('pending, sent, skipped (no chat identity) or failed');
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).notNullable();
    table.text('last_error').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['state', 'next_attempt_at'], 'access_chat_deliveries_due');
    table.index(['request_id'], 'access_chat_deliveries_request');
  });

  await knex.schema.createTable('access_chat_messages', table => {
    table.comment('An approval message posted in chat, to update it in place');
    table.string('id', 36).primary();
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('access_requests')
      .onDelete('CASCADE');
    table.string('channel', 16).notNullable();
    table.string('recipient_ref', 255).notNullable();
    table.integer('stage').notNullable();
    table.string('conversation_id', 255).notNullable();
    table.string('message_id', 255).notNullable();
    table.text('extra').nullable().comment('JSON the channel needs');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['request_id', 'channel', 'recipient_ref', 'stage'], {
      indexName: 'access_chat_messages_one_per_approver',
    });
  });

  await knex.schema.alterTable('access_approvals', table => {
    table
      .string('channel', 16)
      .nullable()
      .comment('Where the decision was made: slack or teams (else the API)');
    table
      .string('chat_user_id', 255)
      .nullable()
      .comment('The chat user who decided, beside the catalog user');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('access_approvals', table => {
    table.dropColumn('channel');
    table.dropColumn('chat_user_id');
  });
  await knex.schema.dropTable('access_chat_messages');
  await knex.schema.dropTable('access_chat_deliveries');
};
