import { ConfigReader } from '@backstage/config';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  AccessChatChannel,
  accessChatChannelsExtensionPoint,
} from '@jit-access/plugin-access-node';
import teamsModule from './index';
import {
  DEFAULT_AUTHORITY_ENDPOINT,
  DEFAULT_TEAMS_SERVICE_URL,
  readTeamsChatConfig,
} from './config';

const FULL = {
  clientId: 'client',
  clientSecret: 'secret',
  tenantId: 'tenant',
};

const read = (teams: any) =>
  readTeamsChatConfig(new ConfigReader({ access: { chat: { teams } } }));

describe('readTeamsChatConfig', () => {
  it('is off without the section', () => {
    expect(readTeamsChatConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      readTeamsChatConfig(new ConfigReader({ access: { chat: {} } })),
    ).toBeUndefined();
  });

  it('fills the defaults', () => {
    expect(read(FULL)).toEqual({
      ...FULL,
      authorityEndpoint: DEFAULT_AUTHORITY_ENDPOINT,
      serviceUrl: DEFAULT_TEAMS_SERVICE_URL,
    });
    expect(
      read({
        ...FULL,
        authorityEndpoint: 'https://login.microsoftonline.us/',
        issuers: ['https://api.botframework.us'],
        serviceUrl: 'https://smba.infra.gov.teams.microsoft.us/teams/',
      }),
    ).toMatchObject({
      authorityEndpoint: 'https://login.microsoftonline.us',
      issuers: ['https://api.botframework.us'],
    });
  });

  it.each([
    ['clientSecret', { clientId: 'c', tenantId: 't' }],
    ['clientId', { clientSecret: 's', tenantId: 't' }],
    ['tenantId', { clientId: 'c', clientSecret: 's' }],
  ])('names a missing %s by its path', (key, teams) => {
    expect(() => read(teams)).toThrow(`access.chat.teams.${key}: Required`);
  });

  it('refuses empty values, plain http, empty issuer lists and unknown keys', () => {
    expect(() => read({ ...FULL, clientSecret: ' ' })).toThrow(
      'access.chat.teams.clientSecret: Must not be empty',
    );
    expect(() =>
      read({ ...FULL, authorityEndpoint: 'http://login.example.com' }),
    ).toThrow('access.chat.teams.authorityEndpoint: Must be an https URL');
    expect(() => read({ ...FULL, serviceUrl: 'nope' })).toThrow(
      "access.chat.teams.serviceUrl: Invalid URL 'nope'",
    );
    expect(() => read({ ...FULL, issuers: [] })).toThrow(
      'access.chat.teams.issuers: Must name at least one issuer',
    );
    expect(() => read({ ...FULL, botToken: 'x' })).toThrow(
      'access.chat.teams.botToken: Unknown field',
    );
  });
});

describe('the Teams module at startup', () => {
  function accessStandIn() {
    const channels: AccessChatChannel[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'access',
      register(env) {
        env.registerExtensionPoint(accessChatChannelsExtensionPoint, {
          addChatChannel(...added) {
            channels.push(...added);
          },
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    return { plugin, channels };
  }

  it('stays off with one log line without config', async () => {
    const { plugin, channels } = accessStandIn();
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      features: [
        plugin,
        teamsModule,
        logger.factory,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    await backend.stop();
    expect(channels).toEqual([]);
    expect(logger.info).toHaveBeenCalledWith(
      'Microsoft Teams chat is off: no access.chat.teams configuration',
    );
  });

  it('adds the channel with config', async () => {
    const { plugin, channels } = accessStandIn();
    const backend = await startTestBackend({
      features: [
        plugin,
        teamsModule,
        mockServices.rootConfig.factory({
          data: { access: { chat: { teams: FULL } } },
        }),
      ],
    });
    await backend.stop();
    expect(channels.map(c => c.id)).toEqual(['teams']);
  });

  it('refuses to start with half a config, naming the missing key', async () => {
    await expect(
      startTestBackend({
        features: [
          accessStandIn().plugin,
          teamsModule,
          mockServices.rootConfig.factory({
            data: {
              access: { chat: { teams: { clientId: 'c', tenantId: 't' } } },
            },
          }),
        ],
      }),
    ).rejects.toThrow('access.chat.teams.clientSecret: Required');
  });
});
