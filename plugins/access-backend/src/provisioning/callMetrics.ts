import { MetricsService } from '@backstage/backend-plugin-api/alpha';

/** What a provisioner was asked to do. */
export type Operation =
  | 'grant'
  | 'revoke'
  | 'extend'
  | 'reset'
  | 'observe'
  | 'discover';

/** The attributes every measured call carries. */
export type CallAttributes = {
  provisioner: string;
  operation: Operation;
  outcome: 'ok' | 'failed' | 'timeout';
  permanent: boolean;
};

/**
 * Counts and times provisioner calls: `access.provisioner.calls` per provisioner, operation and
 * outcome, and `access.provisioner.call.duration` in seconds with the same attributes.
 */
export class CallMetrics {
  private readonly calls;
  private readonly duration;

  constructor(metrics: MetricsService) {
    this.calls = metrics.createCounter<CallAttributes>(
      'access.provisioner.calls',
      { description: 'Calls to access provisioners', unit: '{call}' },
    );
    this.duration = metrics.createHistogram<CallAttributes>(
      'access.provisioner.call.duration',
      { description: 'How long calls to access provisioners took', unit: 's' },
    );
  }

  record(
    provisioner: string,
    operation: Operation,
    result: { ok: true } | { ok: false; permanent: boolean; timedOut: boolean },
    seconds: number,
  ): void {
    let outcome: CallAttributes['outcome'] = 'ok';
    if (!result.ok) {
      outcome = result.timedOut ? 'timeout' : 'failed';
    }
    const attributes: CallAttributes = {
      provisioner,
      operation,
      outcome,
      permanent: !result.ok && result.permanent,
    };
    this.calls.add(1, attributes);
    this.duration.record(seconds, attributes);
  }
}
