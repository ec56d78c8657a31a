import { AppIcons, createSpecializedApp } from '@backstage/core-app-api';
import { createApiFactory, errorApiRef } from '@backstage/core-plugin-api';
import {
  createTranslationMessages,
  createTranslationResource,
  TranslationMessages,
  TranslationResource,
} from '@backstage/core-plugin-api/alpha';
import { themes, UnifiedThemeProvider } from '@backstage/theme';
import { render, screen, within } from '@testing-library/react';
import { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { StatusWidgets } from './components/MyAccess/StatusWidgets';
import { Countdown } from './components/shared/Countdown';
import { accessTranslationRef } from './translation';

/**
 * Renders inside an app made the way adopters make theirs (`createApp` in a legacy app takes the
 * same `__experimentalTranslations`; the new frontend system takes the same resources through
 * `TranslationBlueprint`), with the app's real translation and language APIs.
 */
async function renderInApp(
  ui: ReactElement,
  translations: {
    resources: Array<TranslationResource | TranslationMessages>;
    defaultLanguage?: string;
    availableLanguages?: string[];
  },
) {
  const app = createSpecializedApp({
    apis: [
      createApiFactory(errorApiRef, {
        post: jest.fn(),
        error$: jest.fn() as any,
      }),
    ],
    configLoader: false as any,
    components: {
      Progress: () => <div data-testid="progress" />,
      BootErrorPage: ({ error }) => {
        throw error;
      },
      NotFoundErrorPage: () => {
        throw new Error('Not found');
      },
      ErrorBoundaryFallback: ({ error }) => {
        throw error;
      },
      Router: ({ children }) => <MemoryRouter>{children}</MemoryRouter>,
    },
    // No icons are drawn here.
    icons: {} as AppIcons,
    plugins: [],
    themes: [
      {
        id: 'light',
        title: 'Light',
        variant: 'light',
        Provider: ({ children }) => (
          <UnifiedThemeProvider theme={themes.light}>
            {children}
          </UnifiedThemeProvider>
        ),
      },
    ],
    __experimentalTranslations: translations,
  });
  const Provider = app.getProvider();
  const Router = app.getRouter();
  return render(
    <Provider>
      <Router>{ui}</Router>
    </Provider>,
  );
}

const counts = {
  active: { count: 1, more: false },
  pending_approval: { count: 100, more: true },
};

describe('translations', () => {
  afterEach(() => localStorage.clear());

  it('takes the messages an app overrides and keeps the others in English', async () => {
    await renderInApp(
      <StatusWidgets counts={counts} selected="active" onSelect={() => {}} />,
      {
        resources: [
          createTranslationMessages({
            ref: accessTranslationRef,
            messages: {
              'myAccess.widgets.label': 'Show by state',
              'shared.status.active': 'Live now',
            },
          }),
        ],
      },
    );

    const widgets = await screen.findByRole('group', {
      name: 'Show by state',
    });
    expect(
      within(widgets).getByRole('button', { name: '1 Live now' }),
    ).toBeInTheDocument();
    expect(
      within(widgets).getByRole('button', { name: '100+ Pending approval' }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Active')).not.toBeInTheDocument();
  });

  it('speaks the app’s language, with dates and durations in its locale', async () => {
    const endAt = new Date(Date.now() + 90 * 60_000 + 30_000).toISOString();
    await renderInApp(<Countdown endAt={endAt} />, {
      defaultLanguage: 'de',
      availableLanguages: ['en', 'de'],
      resources: [
        createTranslationResource({
          ref: accessTranslationRef,
          translations: {
            de: () =>
              Promise.resolve({
                default: createTranslationMessages({
                  ref: accessTranslationRef,
                  messages: {
                    'shared.countdown.ariaLabel': 'Endet am {{time}}',
                    'shared.countdown.left': 'noch {{remaining}}',
                  },
                }),
              }),
          },
        }),
      ],
    });

    const timer = await screen.findByRole('timer');
    // 1 hour 30 minutes left, in German units ("30 Min." rather than "30m").
    expect(timer).toHaveTextContent(/^noch 1h 30 Min\. \d\d Sek\.$/);
    const label = timer.getAttribute('aria-label') ?? '';
    expect(label).toMatch(/^Endet am \d{1,2}\. \S+ \d{4}, \d\d:\d\d$/);
    expect(label).not.toMatch(/AM|PM/);
  });
});
