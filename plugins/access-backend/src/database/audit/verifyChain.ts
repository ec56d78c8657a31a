import { Knex } from 'knex';
import { AuditAnchor, AuditEvent, AuditVerification } from './auditEvents';
import { AUDIT_TABLE, AuditRow, rowToEvent } from './auditRows';
import {
  ChainKey,
  computeLink,
  KEYED_SCHEME,
  readChainScheme,
} from './chainHash';
import { auditChainKeyFor } from './chainKeys';

const DEFAULT_VERIFY_BATCH_SIZE = 500;

/**
 * Walks the whole chain in seq order (in batches, keyset on seq, never loading all rows at once),
 * stopping at the first row that does not fit: its prev_hash is not the previous row's hash
 * (null for the first row), its content no longer gives its stored link, it is keyed while no
 * key is configured, or it is unkeyed after a keyed row. With a key configured, an intact chain
 * must end in a keyed row (so the keyed rows cannot all have been dropped or rewritten unkeyed).
 *
 * With an `anchor` (a head exported earlier), the row `anchor.seq` must still be there with
 * `anchor.hash`; with the walk this proves that nothing up to the anchor was rewritten or
 * dropped, which a shortened but intact chain would not show.
 *
 * `key` overrides the key set for `db` with {@link setAuditChainKey} (null: verify unkeyed).
 */
export async function verifyAuditChain(
  db: Knex,
  options?: { batchSize?: number; anchor?: AuditAnchor; key?: ChainKey | null },
): Promise<AuditVerification> {
  const batchSize = options?.batchSize ?? DEFAULT_VERIFY_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError('batchSize must be a positive integer');
  }
  const key = options?.key === undefined ? auditChainKeyFor(db) : options.key;
  const keyed = key !== null;
  const anchor = options?.anchor;

  let checked = 0;
  let unkeyedRows = 0;
  let seenKeyed = false;
  let anchorFound = false;
  let previousHash: string | null = null;
  let lastSeq: number | undefined;

  const broken = (brokenAt: number, problem: string): AuditVerification => ({
    ok: false,
    checked,
    keyed,
    brokenAt,
    problem,
  });

  for (;;) {
    const query = db<AuditRow>(AUDIT_TABLE)
      .select('*')
      .orderBy('seq', 'asc')
      .limit(batchSize);
    if (lastSeq !== undefined) {
      query.where('seq', '>', lastSeq);
    }
    const rows: AuditRow[] = await query;

    for (const row of rows) {
      const seq = Number(row.seq);
      checked += 1;
      if (anchor && !anchorFound && seq > anchor.seq) {
        return broken(
          anchor.seq,
          `the anchor row ${anchor.seq} is missing (the chain goes on at row ${seq})`,
        );
      }
      const rowPrevHash = row.prev_hash ?? null;
      if (rowPrevHash !== previousHash) {
        return broken(
          seq,
          previousHash === null
            ? 'first row has a prev_hash'
            : "prev_hash does not match the previous row's hash",
        );
      }
      const scheme = readChainScheme(row.chain_scheme);
      if (scheme === undefined) {
        return broken(seq, 'unknown chain_scheme');
      }
      if (scheme === KEYED_SCHEME) {
        if (!key) {
          return broken(
            seq,
            'row is keyed but no audit chain key (access.audit.chainKey) is configured',
          );
        }
        seenKeyed = true;
      } else if (seenKeyed) {
        return broken(seq, 'row is not keyed but follows keyed rows');
      } else {
        unkeyedRows += 1;
      }
      let event: AuditEvent;
      try {
        event = rowToEvent(row);
      } catch (error) {
        return broken(seq, `row cannot be read: ${(error as Error).message}`);
      }
      if (computeLink(scheme, key, rowPrevHash, event) !== row.hash) {
        return broken(seq, 'content does not match its hash');
      }
      if (anchor && seq === anchor.seq) {
        if (row.hash !== anchor.hash) {
          return broken(
            seq,
            `row ${seq} no longer has the anchor's hash: the chain was rewritten up to it`,
          );
        }
        anchorFound = true;
      }
      previousHash = row.hash;
      lastSeq = seq;
    }

    if (rows.length < batchSize) {
      break;
    }
  }

  if (anchor && !anchorFound) {
    return broken(
      anchor.seq,
      lastSeq === undefined
        ? `the anchor row ${anchor.seq} is missing: the chain is empty`
        : `the anchor row ${anchor.seq} is missing: the chain ends at row ${lastSeq}`,
    );
  }
  if (keyed && lastSeq !== undefined && !seenKeyed) {
    return broken(
      lastSeq,
      'the newest row is not keyed although a chain key is configured: keyed rows after it were removed or rewritten',
    );
  }
  return {
    ok: true,
    checked,
    keyed,
    ...(keyed && unkeyedRows > 0 && { unkeyedRows }),
    ...(lastSeq !== undefined && {
      head: { seq: lastSeq, hash: previousHash! },
    }),
    ...(anchor && { anchor: { seq: anchor.seq, hash: anchor.hash } }),
  };
}
