/*
 * Keyed audit chain: each audit row records how its hash was made. Rows written before this
 * migration keep a null scheme, which means the unkeyed SHA-256 they were written with; the
 * table is not rewritten.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('access_audit_events', table => {
    table
      .string('chain_scheme', 16)
      .nullable()
      .comment(
        'hmac-sha256 (keyed with access.audit.chainKey) or sha256 (unkeyed); null: sha256, written before the scheme was recorded',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('access_audit_events', table => {
    table.dropColumn('chain_scheme');
  });
};
