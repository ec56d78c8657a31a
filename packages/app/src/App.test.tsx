import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  beforeEach(() => {
    window.localStorage.clear();
  });

  it('offers the configured demo users on the sign-in page', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: {
              title: 'Test',
              demoSignIn: {
                users: [
                  {
                    name: 'dana',
                    title: 'Dana Developer',
                    description: 'Requests access.',
                  },
                  { name: 'lee', title: 'Lee Lead' },
                ],
              },
            },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };
    render(<App />);

    expect(
      // The app loads its plugins before the sign-in page shows; on a busy machine that takes
      // longer than findBy's default second.
      await screen.findByRole(
        'button',
        { name: 'Sign in as dana' },
        { timeout: 20_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as lee' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Dana Developer')).toBeInTheDocument();
    expect(screen.getByText('Requests access.')).toBeInTheDocument();
  }, 30_000);
});
