/**
 * Scores a draft justification for an access request, in the spirit of
 * Apono's justification indicator: three deterministic English heuristics
 * (does it say what the person will do, why this level of access, and which
 * ticket it is about), a 0..100 score and a hint for each missing part.
 *
 * Everything here is linear in the length of the text: the text is split
 * into word tokens once, and the only regexes run on the whole text are
 * anchored at word boundaries with no nested or overlapping quantifiers.
 */

import {
  JustificationCheck,
  JustificationFeedback,
} from '@jit-access/plugin-access-common';

export type { JustificationCheck, JustificationFeedback };

const WEIGHTS = {
  'describes-task': 40,
  'explains-access-level': 35,
  'references-ticket': 25,
} as const;

const FAIR_FROM = 40;
const STRONG_FROM = 75;

/** Meaningful words needed before a draft can count as describing a task. */
const MIN_MEANINGFUL_WORDS = 4;

/** How many tokens apart a level word and a reason connector may be. */
const REASON_WINDOW = 12;

/** Words that say nothing about the task: filler, politeness and glue. */
const FILLER_WORDS = new Set([
  'a',
  'access',
  'am',
  'an',
  'and',
  'any',
  'are',
  'asap',
  'at',
  'be',
  'can',
  'could',
  'do',
  'get',
  'give',
  'hello',
  'hey',
  'hi',
  'i',
  'im',
  'is',
  'it',
  'just',
  'me',
  'my',
  'need',
  'needed',
  'needs',
  'of',
  'on',
  'or',
  'our',
  'pls',
  'plz',
  'please',
  'quick',
  'quickly',
  'request',
  'requesting',
  'some',
  'thank',
  'thanks',
  'that',
  'the',
  'this',
  'thx',
  'to',
  'ty',
  'urgent',
  'urgently',
  'us',
  'want',
  'we',
  'would',
  'you',
]);

/**
 * Task verbs and nouns, as stems: a token counts when it starts with one
 * (so "investigating", "migration", "analysis", "restores" all match).
 */
const TASK_STEMS = [
  'analys',
  'analyz',
  'audit',
  'backfill',
  'benchmark',
  'bug',
  'cleanup',
  'configur',
  'cutover',
  'debug',
  'deploy',
  'diagnos',
  'escalat',
  'export',
  'failover',
  'fix',
  'hotfix',
  'import',
  'incident',
  'inspect',
  'install',
  'investigat',
  'maintenanc',
  'migrat',
  'mitigat',
  'monitor',
  'on-call',
  'oncall',
  'optimis',
  'optimiz',
  'outage',
  'patch',
  'post-mortem',
  'postmortem',
  'provision',
  'queri',
  'query',
  'reconcil',
  'recover',
  'refund',
  'reindex',
  'releas',
  'repair',
  'report',
  'reproduc',
  'resolv',
  'restor',
  'review',
  'rollback',
  'rollout',
  'rotat',
  'triag',
  'troubleshoot',
  'upgrad',
  'validat',
  'verif',
];

/** Permission levels and operations that need a particular level. */
const LEVEL_WORDS = new Set([
  'admin',
  'administrative',
  'administrator',
  'admins',
  'alter',
  'change',
  'changes',
  'changing',
  'create',
  'dba',
  'delete',
  'deletes',
  'deleting',
  'deletion',
  'drop',
  'dropping',
  'edit',
  'editing',
  'elevated',
  'elevation',
  'exec',
  'execute',
  'grant',
  'granting',
  'insert',
  'inserting',
  'inserts',
  'modify',
  'modifying',
  'owner',
  'privileged',
  'prod',
  'production',
  'read',
  'reading',
  'readonly',
  'reads',
  'root',
  'rw',
  'schema',
  'schemas',
  'sudo',
  'superuser',
  'truncate',
  'update',
  'updates',
  'updating',
  'write',
  'writes',
  'writing',
]);

/**
 * Words that introduce a reason. Multi-word connectors ("so that",
 * "in order to", "due to", "need(s) ... to") all contain one of these.
 */
const REASON_CONNECTORS = new Set([
  'as',
  'bc',
  'because',
  'cuz',
  'for',
  'hence',
  'require',
  'required',
  'requires',
  'since',
  'so',
  'therefore',
  'to',
]);

const JIRA_KEY = /\b[A-Z][A-Z0-9]+-\d+\b/;
const ISSUE_NUMBER = /(?<![\w&])#\d+\b/;
const SERVICENOW_NUMBER = /\b(?:INC|CHG|RITM)\d+\b/i;

/** Lower-case word tokens; hyphenated words stay whole ("on-call", "read-only"). */
const TOKEN = /[a-z0-9]+(?:-[a-z0-9]+)*/g;

const HINTS = {
  tooShort:
    "Say what you will do, in a few words, e.g. 'investigate the failed payouts in INC-123'",
  noTask:
    "Name the task, e.g. 'debug', 'deploy', 'migrate', 'restore' or the incident you are working on",
  level:
    "Say why you need this level of access, e.g. 'need write access to backfill the missing rows'",
  ticket:
    "Link a ticket, e.g. 'INC-123', 'PAY-42' or '#456', or pick one in the ticket field",
} as const;

function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** The token and, for hyphenated tokens, each of its parts. */
function forms(token: string): string[] {
  return token.includes('-') ? [token, ...token.split('-')] : [token];
}

function isTaskWord(token: string): boolean {
  return forms(token).some(form =>
    TASK_STEMS.some(stem => form.startsWith(stem)),
  );
}

function isLevelWord(token: string): boolean {
  return forms(token).some(form => LEVEL_WORDS.has(form));
}

function isMeaningful(token: string): boolean {
  return /[a-z]/.test(token) && !FILLER_WORDS.has(token);
}

function checkDescribesTask(tokens: string[]): JustificationCheck {
  const meaningful = tokens.filter(isMeaningful);
  const enoughWords = meaningful.length >= MIN_MEANINGFUL_WORDS;
  const hasTask = tokens.some(isTaskWord);
  const passed = enoughWords && hasTask;
  return {
    id: 'describes-task',
    label: 'Describes the task',
    passed,
    ...(passed ? {} : { hint: enoughWords ? HINTS.noTask : HINTS.tooShort }),
  };
}

/** A level word with a reason connector within REASON_WINDOW tokens of it. */
function checkExplainsAccessLevel(tokens: string[]): JustificationCheck {
  const isConnector = tokens.map(token => REASON_CONNECTORS.has(token));
  const isLevel = tokens.map(isLevelWord);

  // Distance to the nearest connector on each side, in one pass per side.
  let passed = false;
  let lastConnector = -Infinity;
  for (let i = 0; i < tokens.length && !passed; i++) {
    if (isConnector[i]) lastConnector = i;
    if (isLevel[i] && i - lastConnector <= REASON_WINDOW) passed = true;
  }
  let nextConnector = Infinity;
  for (let i = tokens.length - 1; i >= 0 && !passed; i--) {
    if (isConnector[i]) nextConnector = i;
    if (isLevel[i] && nextConnector - i <= REASON_WINDOW) passed = true;
  }

  return {
    id: 'explains-access-level',
    label: 'Explains the access level',
    passed,
    ...(passed ? {} : { hint: HINTS.level }),
  };
}

function withoutStatefulFlags(pattern: RegExp): RegExp {
  return pattern.global || pattern.sticky
    ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
    : pattern;
}

function checkReferencesTicket(
  text: string,
  ticket: { type?: string; id?: string } | undefined,
  ticketPattern: RegExp | undefined,
): JustificationCheck {
  const ticketId = typeof ticket?.id === 'string' ? ticket.id.trim() : '';
  const custom = ticketPattern
    ? withoutStatefulFlags(ticketPattern)
    : undefined;
  const passed =
    ticketId !== '' ||
    JIRA_KEY.test(text) ||
    ISSUE_NUMBER.test(text) ||
    SERVICENOW_NUMBER.test(text) ||
    // A non-empty ticket id already passes, so the custom pattern only
    // needs to be tried on the text.
    (custom !== undefined && custom.test(text));
  return {
    id: 'references-ticket',
    label: 'References a ticket',
    passed,
    ...(passed ? {} : { hint: HINTS.ticket }),
  };
}

function levelFor(score: number): JustificationFeedback['level'] {
  if (score >= STRONG_FROM) return 'strong';
  if (score >= FAIR_FROM) return 'fair';
  return 'weak';
}

/**
 * Scores a draft justification: describes-task (40), explains-access-level
 * (35) and references-ticket (25); weak below 40, strong from 75.
 * A ticket object with a non-empty id satisfies the ticket check on its own.
 */
export function scoreJustification(
  text: string,
  ticket?: { type?: string; id?: string },
  options?: { ticketPattern?: RegExp },
): JustificationFeedback {
  const draft = typeof text === 'string' ? text : '';
  const tokens = tokenize(draft);
  const checks = [
    checkDescribesTask(tokens),
    checkExplainsAccessLevel(tokens),
    checkReferencesTicket(draft, ticket, options?.ticketPattern),
  ];
  const score = checks.reduce(
    (sum, check) => sum + (check.passed ? WEIGHTS[check.id] : 0),
    0,
  );
  return { score, level: levelFor(score), checks };
}
