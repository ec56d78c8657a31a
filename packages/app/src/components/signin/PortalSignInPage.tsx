import { SignInPage } from '@backstage/core-components';
import {
  configApiRef,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import { DemoSignInPage, DemoUser } from './DemoSignInPage';

/**
 * Offers the demo users when `app.demoSignIn.users` is configured (development), and Backstage's
 * standard sign-in page otherwise.
 */
export function PortalSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const users: DemoUser[] = (
    config.getOptionalConfigArray('app.demoSignIn.users') ?? []
  ).map(user => ({
    name: user.getString('name'),
    title: user.getOptionalString('title') ?? user.getString('name'),
    description: user.getOptionalString('description'),
  }));

  if (users.length > 0) {
    return <DemoSignInPage {...props} users={users} />;
  }
  return <SignInPage {...props} auto providers={['guest']} />;
}
