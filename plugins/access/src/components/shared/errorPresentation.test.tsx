import { lightTheme } from '@backstage/theme';
import { fireEvent, screen } from '@testing-library/react';
import { catalogPresentationApis } from '../../__testUtils__/catalogPresentation';
import { apiError, mockAccessApi } from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { JustificationField } from '../NewRequest/JustificationField';
import { ReasonDialog } from './ReasonDialog';

describe('errors as people read them', () => {
  it('names who decided first in a decision that lost the race', async () => {
    const error = apiError(
      409,
      'The request is rejected; decided by user:default/lee',
    );
    await renderWithApi(
      <ReasonDialog
        open
        title="Approve"
        confirmLabel="Approve"
        onConfirm={async () => {
          throw error;
        }}
        onClose={() => {}}
      />,
      mockAccessApi(),
      { apis: catalogPresentationApis() },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    const alert = await screen.findByRole('alert');
    await screen.findByRole('link', { name: 'Lee Lead' });
    expect(alert).toHaveTextContent(
      'Already changed: The request is rejected; decided by Lee Lead',
    );
    expect(alert).not.toHaveTextContent('user:default/lee');
  });

  it("shows a field's error in the theme's darker error colour", async () => {
    await renderWithApi(
      <JustificationField
        value=""
        onChange={() => {}}
        required
        error="Say why you need this access"
      />,
      mockAccessApi(),
    );
    const help = await screen.findByText('Say why you need this access');
    // The theme's error colour is below 4.5:1 on white; its darker shade is not.
    expect(help).toHaveStyle({ color: lightTheme.palette.error.dark });
    expect(help).not.toHaveStyle({ color: lightTheme.palette.error.main });
  });
});
