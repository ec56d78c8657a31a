import { useCallback, useState } from 'react';
import {
  Content,
  ContentHeader,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  WarningPanel,
} from '@backstage/core-components';
import { IdentityApi, SignInPageProps } from '@backstage/core-plugin-api';
import { Button, Grid, Typography } from '@material-ui/core';

/** A user offered on the demo sign-in page (`app.demoSignIn.users` in app-config). */
export interface DemoUser {
  name: string;
  title: string;
  description?: string;
}

export const CHOSEN_USER_KEY = 'jit-access:demo-user';

/** Signing out forgets the chosen user, so the next visit offers the choice again. */
function forgetOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      window.localStorage.removeItem(CHOSEN_USER_KEY);
      await identity.signOut();
    },
  };
}

/**
 * Development sign-in: pick one of the demo users and become them, through the backend's `demo`
 * auth provider (which issues a real Backstage token for that catalog User).
 */
export function DemoSignInPage(props: SignInPageProps & { users: DemoUser[] }) {
  const { users, onSignInSuccess } = props;
  const [chosen, setChosen] = useState<string | null>(() =>
    window.localStorage.getItem(CHOSEN_USER_KEY),
  );

  const choose = useCallback((name: string | null) => {
    if (name) {
      window.localStorage.setItem(CHOSEN_USER_KEY, name);
    } else {
      window.localStorage.removeItem(CHOSEN_USER_KEY);
    }
    setChosen(name);
  }, []);

  if (chosen) {
    return (
      <ProxiedSignInPage
        provider="demo"
        headers={{ 'x-demo-user': chosen }}
        onSignInSuccess={identity => onSignInSuccess(forgetOnSignOut(identity))}
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Content>
              <WarningPanel
                severity="error"
                title={`Could not sign in as ${chosen}`}
                message={error?.message}
              />
              <Button variant="contained" onClick={() => choose(null)}>
                Choose another user
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title="Just-in-time access demo"
        subtitle="Sign in as a demo user"
      />
      <Content>
        <ContentHeader title="Who do you want to be?" />
        <Grid container spacing={3}>
          {users.map(user => (
            <Grid item xs={12} sm={6} md={4} key={user.name}>
              <InfoCard title={user.title} subheader={user.name}>
                <Typography variant="body1" paragraph>
                  {user.description ?? ''}
                </Typography>
                <Button
                  variant="contained"
                  color="primary"
                  onClick={() => choose(user.name)}
                  aria-label={`Sign in as ${user.name}`}
                >
                  Sign in
                </Button>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
