import {
  JustificationCheck,
  JustificationFeedback,
  scoreJustification,
} from './justificationFeedback';

const STRONG =
  'Investigate failed payouts in INC-4521: need read access to the payments database to query the stuck transactions';

function check(
  feedback: JustificationFeedback,
  id: JustificationCheck['id'],
): JustificationCheck {
  const found = feedback.checks.find(c => c.id === id);
  if (!found) {
    throw new Error(`no check ${id}`);
  }
  return found;
}

function passed(feedback: JustificationFeedback): string[] {
  return feedback.checks.filter(c => c.passed).map(c => c.id);
}

describe('scoreJustification', () => {
  it('returns the three checks in a fixed order with labels', () => {
    const feedback = scoreJustification(STRONG);
    expect(feedback.checks.map(c => c.id)).toEqual([
      'describes-task',
      'explains-access-level',
      'references-ticket',
    ]);
    for (const c of feedback.checks) {
      expect(c.label).toEqual(expect.any(String));
      expect(c.label.length).toBeGreaterThan(0);
    }
  });

  it('fails every check for an empty or whitespace-only draft', () => {
    for (const text of ['', '   ', '\n\t  \n']) {
      const feedback = scoreJustification(text);
      expect(feedback.score).toBe(0);
      expect(feedback.level).toBe('weak');
      expect(passed(feedback)).toEqual([]);
      for (const c of feedback.checks) {
        expect(c.hint).toEqual(expect.any(String));
      }
    }
  });

  it('scores "need access" as weak with a hint for every check', () => {
    const feedback = scoreJustification('need access');
    expect(feedback).toEqual({
      score: 0,
      level: 'weak',
      checks: [
        expect.objectContaining({ id: 'describes-task', passed: false }),
        expect.objectContaining({ id: 'explains-access-level', passed: false }),
        expect.objectContaining({ id: 'references-ticket', passed: false }),
      ],
    });
    expect(check(feedback, 'describes-task').hint).toMatch(/what you will do/);
    expect(check(feedback, 'explains-access-level').hint).toMatch(
      /why you need this level/,
    );
    expect(check(feedback, 'references-ticket').hint).toMatch(/ticket/);
  });

  it('ignores filler words when counting what the draft says', () => {
    const feedback = scoreJustification(
      'pls need access asap please, urgent, thanks',
    );
    expect(feedback.score).toBe(0);
    expect(check(feedback, 'describes-task').passed).toBe(false);
    // A task word alone is not enough either: it needs some detail.
    expect(
      check(scoreJustification('please need access to debug'), 'describes-task')
        .passed,
    ).toBe(false);
  });

  it('scores a complete justification as strong with no hints', () => {
    const feedback = scoreJustification(STRONG);
    expect(feedback.score).toBe(100);
    expect(feedback.level).toBe('strong');
    expect(feedback.checks.every(c => c.passed)).toBe(true);
    expect(feedback.checks.every(c => c.hint === undefined)).toBe(true);
    expect(feedback.checks.every(c => !('hint' in c))).toBe(true);
  });

  it('recognises a task without an access level', () => {
    const feedback = scoreJustification(
      'Debug the checkout timeout bug customers hit after the release',
    );
    expect(passed(feedback)).toEqual(['describes-task']);
    expect(feedback.score).toBe(40);
    expect(feedback.level).toBe('fair');
    expect(check(feedback, 'explains-access-level').hint).toBeDefined();
  });

  it('recognises an access level without a task', () => {
    const feedback = scoreJustification(
      'Need admin rights on prod because my team role moved',
    );
    expect(passed(feedback)).toEqual(['explains-access-level']);
    expect(feedback.score).toBe(35);
    expect(feedback.level).toBe('weak');
    // Enough words, but no task: the hint asks for the task itself.
    expect(check(feedback, 'describes-task').hint).toMatch(/Name the task/);
  });

  it('needs a reason next to the access level, not just a level word', () => {
    expect(
      check(scoreJustification('need admin'), 'explains-access-level').passed,
    ).toBe(false);
    expect(
      check(
        scoreJustification('write access to the orders table'),
        'explains-access-level',
      ).passed,
    ).toBe(true);
    expect(
      check(
        scoreJustification('we require read-only on the replica'),
        'explains-access-level',
      ).passed,
    ).toBe(true);
    // A connector far away from the level word does not count.
    const far = `admin ${'word '.repeat(20)}because`;
    expect(check(scoreJustification(far), 'explains-access-level').passed).toBe(
      false,
    );
  });

  it('counts hyphenated and inflected task words', () => {
    for (const text of [
      'I am on-call tonight for the payments service',
      'restoring the orders backup from yesterday night',
      'analysis of the slow checkout service latency',
      'migrations for the billing service are stuck',
    ]) {
      expect(check(scoreJustification(text), 'describes-task').passed).toBe(
        true,
      );
    }
  });

  it('accepts a ticket given as an object only', () => {
    const feedback = scoreJustification('', { type: 'jira', id: 'PAY-1' });
    expect(passed(feedback)).toEqual(['references-ticket']);
    expect(feedback.score).toBe(25);
    expect(feedback.level).toBe('weak');
    expect(check(feedback, 'references-ticket').hint).toBeUndefined();

    for (const ticket of [{ type: 'jira' }, { type: 'jira', id: '   ' }, {}]) {
      expect(
        check(scoreJustification('', ticket), 'references-ticket').passed,
      ).toBe(false);
    }
  });

  it('finds a JIRA key in the text', () => {
    const ticketed = (text: string) =>
      check(scoreJustification(text), 'references-ticket').passed;
    expect(ticketed('working on PAY-123 today')).toBe(true);
    expect(ticketed('see (OPS2-7).')).toBe(true);
    expect(ticketed('lowercase pay-123 does not count')).toBe(false);
    expect(ticketed('A-1 needs two letters')).toBe(false);
    expect(ticketed('PAY- without a number')).toBe(false);
  });

  it('finds issue numbers and ServiceNow records in the text', () => {
    const ticketed = (text: string) =>
      check(scoreJustification(text), 'references-ticket').passed;
    expect(ticketed('tracked in #482')).toBe(true);
    expect(ticketed('INC0012345')).toBe(true);
    expect(ticketed('change CHG0031 tonight')).toBe(true);
    expect(ticketed('for RITM0042')).toBe(true);
    expect(ticketed('colour &#123; is not an issue')).toBe(false);
    expect(ticketed('no ticket here, just words')).toBe(false);
  });

  it('accepts a custom ticket pattern in the text', () => {
    const text = 'Restore the orders table, tracked as ops/4711';
    expect(check(scoreJustification(text), 'references-ticket').passed).toBe(
      false,
    );
    const pattern = /ops\/\d+/g; // global on purpose: must not keep state
    for (let i = 0; i < 3; i++) {
      expect(
        check(
          scoreJustification(text, undefined, { ticketPattern: pattern }),
          'references-ticket',
        ).passed,
      ).toBe(true);
    }
    // The built-in formats still count alongside a custom pattern.
    expect(
      check(
        scoreJustification('see PAY-9', undefined, { ticketPattern: pattern }),
        'references-ticket',
      ).passed,
    ).toBe(true);
  });

  it('maps scores to levels at the 40 and 75 boundaries', () => {
    const cases: Array<[string, { id?: string } | undefined, number, string]> =
      [
        ['need access', undefined, 0, 'weak'],
        ['', { id: 'PAY-1' }, 25, 'weak'],
        ['need admin access because my team role moved', undefined, 35, 'weak'],
        ['Debug the checkout timeout for customers', undefined, 40, 'fair'],
        ['need admin because my role moved, PAY-1', undefined, 60, 'fair'],
        [
          'Debug the checkout timeout for customers in PAY-1',
          undefined,
          65,
          'fair',
        ],
        [
          'Debug the checkout timeout, need read access to check the logs',
          undefined,
          75,
          'strong',
        ],
        [STRONG, undefined, 100, 'strong'],
      ];
    for (const [text, ticket, score, level] of cases) {
      const feedback = scoreJustification(text, ticket);
      expect({ text, score: feedback.score, level: feedback.level }).toEqual({
        text,
        score,
        level,
      });
    }
  });

  it('gives hints exactly for the failing checks', () => {
    const drafts: Array<[string, { id?: string }?]> = [
      [''],
      ['need access'],
      [STRONG],
      ['Debug the checkout timeout bug customers hit after the release'],
      ['Need admin rights on prod because my team role moved'],
      ['', { id: 'INC0001' }],
      ['Rotate the leaked API key, need write access to the vault'],
    ];
    for (const [text, ticket] of drafts) {
      const feedback = scoreJustification(text, ticket);
      // A hint, of some substance, exactly when the check fails.
      expect(
        feedback.checks.map(c => ({
          passed: c.passed,
          hasHint: typeof c.hint === 'string' && c.hint.length > 10,
        })),
      ).toEqual(
        feedback.checks.map(c => ({ passed: c.passed, hasHint: !c.passed })),
      );
      expect(feedback.checks.filter(c => 'hint' in c).map(c => c.id)).toEqual(
        feedback.checks.filter(c => !c.passed).map(c => c.id),
      );
      const total = feedback.checks.reduce(
        (sum, c) =>
          sum +
          (c.passed
            ? {
                'describes-task': 40,
                'explains-access-level': 35,
                'references-ticket': 25,
              }[c.id]
            : 0),
        0,
      );
      expect(feedback.score).toBe(total);
      expect(Number.isInteger(feedback.score)).toBe(true);
    }
  });

  it('handles 100k-character drafts quickly', () => {
    const n = 100_000;
    const inputs = [
      'A'.repeat(n),
      'A1'.repeat(n / 2),
      `AB-${'1'.repeat(n - 4)}x`,
      'a-'.repeat(n / 2),
      '#'.repeat(n),
      '&#1'.repeat(Math.floor(n / 3)),
      'INC'.repeat(Math.floor(n / 3)),
      'need access '.repeat(Math.floor(n / 12)),
      STRONG.repeat(Math.ceil(n / STRONG.length)).slice(0, n),
    ];
    const started = Date.now();
    const results = inputs.map(text => scoreJustification(text));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(2000);
    expect(results[0].score).toBe(0);
    expect(results[7].score).toBe(0);
    expect(results[8].score).toBe(100);
  });
});
