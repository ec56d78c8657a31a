/*
 * Where a request was made: 'portal', 'api' or 'action' (an AI assistant acting for the user).
 * Requests made before this migration count as made through the API.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('access_requests', table => {
    table
      .string('channel', 16)
      .notNullable()
      .defaultTo('api')
      .comment('Where the request was made: portal, api or action');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('access_requests', table => {
    table.dropColumn('channel');
  });
};
