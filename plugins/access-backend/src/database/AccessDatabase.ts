import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { AuditStore } from './audit/AuditStore';
import { ChatStore } from './chat/ChatStore';
import { CredentialStore } from './credentials/CredentialStore';
import { FavoriteStore } from './favorites/FavoriteStore';
import { FindingStore } from './findings/FindingStore';
import { GrantQueries } from './grants/GrantQueries';
import { GrantStore } from './grants/GrantStore';
import { applyDatabaseMigrations } from './migrations';
import { ApprovalStore } from './requests/ApprovalStore';
import { ReminderStore } from './requests/ReminderStore';
import { RequestHistory } from './requests/RequestHistory';
import { RequestPages } from './requests/RequestPages';
import { RequestStore } from './requests/RequestStore';
import { FulfilmentTaskStore } from './tasks/FulfilmentTaskStore';

/** One store per aggregate, over one database handle. */
export interface AccessStores {
  /** Requests: their reads, creation and status transitions. */
  requests: RequestStore;
  /** Pages of requests as lists and inboxes show them. */
  pages: RequestPages;
  /** What people (and their teams) requested before, for suggestions. */
  history: RequestHistory;
  /** Approvers and their decisions. */
  approvals: ApprovalStore;
  /** Reminders and escalations of pending approvals. */
  reminders: ReminderStore;
  /** The grants, and the only writer of their state (the engine's outbox). */
  grants: GrantStore;
  /** What the engine and reconciliation read of grants and their requests. */
  grantQueries: GrantQueries;
  /** Grant and revoke work handed to people. */
  tasks: FulfilmentTaskStore;
  /** What reconciliation found. */
  findings: FindingStore;
  /** The sealed credentials of grants. */
  credentials: CredentialStore;
  /** The hash-chained audit log. */
  audit: AuditStore;
  /** Saved request templates. */
  favorites: FavoriteStore;
  /** The chat outbox and the references of posted chat messages. */
  chat: ChatStore;
}

/** Every store over a database handle whose schema is up to date (tests build them this way). */
export function accessStores(db: Knex): AccessStores {
  return {
    requests: new RequestStore(db),
    pages: new RequestPages(db),
    history: new RequestHistory(db),
    approvals: new ApprovalStore(db),
    reminders: new ReminderStore(db),
    grants: new GrantStore(db),
    grantQueries: new GrantQueries(db),
    tasks: new FulfilmentTaskStore(db),
    findings: new FindingStore(db),
    credentials: new CredentialStore(db),
    audit: new AuditStore(db),
    favorites: new FavoriteStore(db),
    chat: new ChatStore(db),
  };
}

/**
 * The access plugin's persistence, over Knex on the plugin's own database (PostgreSQL in
 * production, SQLite in development and tests): the schema, brought up to date at creation, and
 * one store per aggregate.
 */
export class AccessDatabase implements AccessStores {
  /** Connects, migrates the schema unless the database's `migrations.skip` says not to. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<AccessDatabase> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await applyDatabaseMigrations(client);
    }
    return new AccessDatabase(client);
  }

  readonly requests: RequestStore;
  readonly approvals: ApprovalStore;
  readonly reminders: ReminderStore;
  readonly grants: GrantStore;
  readonly grantQueries: GrantQueries;
  readonly tasks: FulfilmentTaskStore;
  readonly findings: FindingStore;
  readonly credentials: CredentialStore;
  readonly audit: AuditStore;
  readonly favorites: FavoriteStore;
  readonly chat: ChatStore;

  readonly pages: RequestPages;
  readonly history: RequestHistory;

  /** The handle under the stores: nothing outside database/ uses it but tests reading tables. */
  readonly db: Knex;

  private constructor(db: Knex) {
    this.db = db;
    const stores = accessStores(db);
    this.requests = stores.requests;
    this.pages = stores.pages;
    this.history = stores.history;
    this.approvals = stores.approvals;
    this.reminders = stores.reminders;
    this.grants = stores.grants;
    this.grantQueries = stores.grantQueries;
    this.tasks = stores.tasks;
    this.findings = stores.findings;
    this.credentials = stores.credentials;
    this.audit = stores.audit;
    this.favorites = stores.favorites;
    this.chat = stores.chat;
  }

  /** Throws when the database cannot answer; used by the health check. */
  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }
}
