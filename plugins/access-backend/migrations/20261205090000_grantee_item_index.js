/*
 * A grantee's history with one resource and permission (what approvers see beside a request)
 * joins each item of a request to the grantee's other grants of the same item: this index makes
 * that join a lookup.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('access_grants', table => {
    table.index(
      ['grantee_ref', 'resource_ref', 'permission'],
      'access_grants_grantee_item_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('access_grants', table => {
    table.dropIndex(
      ['grantee_ref', 'resource_ref', 'permission'],
      'access_grants_grantee_item_idx',
    );
  });
};
