import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readWebhookEndpointsConfig } from './config';

function read(webhook: unknown) {
  return readWebhookEndpointsConfig(
    new ConfigReader({ access: { webhook } } as any),
  );
}

const valid = {
  id: 'groups',
  url: 'https://hooks.example.com/access',
  secret: 'shh',
};

/** The issue lines of the error from reading the config; fails when it does not throw. */
function issuesOf(webhook: unknown): string[] {
  try {
    read(webhook);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const [first, ...rest] = (error as Error).message.split('\n');
    expect(first).toBe('Invalid webhook configuration:');
    return rest;
  }
  throw new Error('expected readWebhookEndpointsConfig to throw');
}

describe('readWebhookEndpointsConfig', () => {
  it('reads nothing when there is no config', () => {
    expect(readWebhookEndpointsConfig(new ConfigReader({}))).toEqual([]);
    expect(read({})).toEqual([]);
  });

  it('reads endpoints with defaults', () => {
    expect(
      read({
        endpoints: [
          valid,
          {
            id: 'roles',
            title: 'Cloud roles',
            url: 'http://127.0.0.1:8080/hook',
            secret: 'other',
            allowInsecure: true,
            timeout: 'PT1M30S',
            retries: 0,
            observeUrl: 'http://127.0.0.1:8080/observe',
          },
          {
            id: 'slow',
            url: valid.url,
            secret: 's',
            timeout: { seconds: 2.5 },
          },
        ],
      }),
    ).toEqual([
      {
        id: 'groups',
        url: 'https://hooks.example.com/access',
        secret: 'shh',
        timeoutMs: 10_000,
        retries: 2,
      },
      {
        id: 'roles',
        title: 'Cloud roles',
        url: 'http://127.0.0.1:8080/hook',
        secret: 'other',
        allowInsecure: true,
        timeoutMs: 90_000,
        retries: 0,
        observeUrl: 'http://127.0.0.1:8080/observe',
      },
      {
        id: 'slow',
        url: valid.url,
        secret: 's',
        timeoutMs: 2500,
        retries: 2,
      },
    ]);
  });

  it('names the field of a bad url', () => {
    expect(
      issuesOf({ endpoints: [valid, { ...valid, id: 'b', url: 'not a url' }] }),
    ).toEqual(["access.webhook.endpoints[1].url: Invalid URL 'not a url'"]);
    expect(
      issuesOf({
        endpoints: [{ ...valid, observeUrl: 'ftp://hooks.example.com/x' }],
      }),
    ).toEqual([
      "access.webhook.endpoints[0].observeUrl: URL must use http or https, not 'ftp'",
    ]);
  });

  it('refuses http URLs unless the endpoint allows them', () => {
    const message =
      'http sends the signed requests, and the credentials in the answers, in the clear: use https, or set allowInsecure: true on this endpoint (for a receiver on the same host or a network you trust)';
    expect(
      issuesOf({
        endpoints: [
          valid,
          { ...valid, id: 'b', url: 'http://hooks.example.com/access' },
          {
            ...valid,
            id: 'c',
            observeUrl: 'HTTP://hooks.example.com/observe',
            allowInsecure: false,
          },
        ],
      }),
    ).toEqual([
      `access.webhook.endpoints[1].url: ${message}`,
      `access.webhook.endpoints[2].observeUrl: ${message}`,
    ]);
  });

  it('names an empty or missing secret', () => {
    expect(issuesOf({ endpoints: [{ ...valid, secret: '' }] })).toEqual([
      'access.webhook.endpoints[0].secret: Must not be empty',
    ]);
    expect(issuesOf({ endpoints: [{ id: 'x', url: valid.url }] })).toEqual([
      'access.webhook.endpoints[0].secret: Required',
    ]);
  });

  it('names duplicate ids', () => {
    expect(
      issuesOf({ endpoints: [valid, { ...valid }, { ...valid, id: 'other' }] }),
    ).toEqual([
      "access.webhook.endpoints[1].id: Duplicate id 'groups' (also used by access.webhook.endpoints[0])",
    ]);
  });

  it('names bad timeouts and retries', () => {
    const issues = issuesOf({
      endpoints: [
        { ...valid, id: 'a', timeout: '10 seconds' },
        { ...valid, id: 'b', timeout: 'PT0S' },
        { ...valid, id: 'c', timeout: { fortnights: 1 } },
        { ...valid, id: 'd', timeout: 'P1M' },
        { ...valid, id: 'e', retries: -1 },
        { ...valid, id: 'f', retries: 1.5 },
        { ...valid, id: 'g', retries: 11 },
      ],
    });
    expect(issues).toEqual([
      expect.stringMatching(
        /^access\.webhook\.endpoints\[0\]\.timeout: Invalid ISO-8601 duration '10 seconds'/,
      ),
      'access.webhook.endpoints[1].timeout: Duration must be longer than zero',
      'access.webhook.endpoints[2].timeout.fortnights: Unknown field',
      expect.stringMatching(
        /^access\.webhook\.endpoints\[3\]\.timeout: Invalid ISO-8601 duration 'P1M'/,
      ),
      'access.webhook.endpoints[4].retries: Must not be negative',
      'access.webhook.endpoints[5].retries: Must be a whole number',
      'access.webhook.endpoints[6].retries: Must be at most 10',
    ]);
  });

  it('names unknown fields and a wrong endpoints type', () => {
    expect(issuesOf({ endpoints: [{ ...valid, timout: 'PT1S' }] })).toEqual([
      'access.webhook.endpoints[0].timout: Unknown field',
    ]);
    expect(issuesOf({ endpoints: valid })).toEqual([
      'access.webhook.endpoints: Expected array, received object',
    ]);
  });
});
