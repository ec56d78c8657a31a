import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError } from '../../__testUtils__/mockAccessApi';
import { ReasonDialog } from './ReasonDialog';

async function renderDialog(
  props: Partial<Parameters<typeof ReasonDialog>[0]> = {},
) {
  const onConfirm = jest.fn(async (_reason?: string) => {});
  const onClose = jest.fn();
  await renderInTestApp(
    <ReasonDialog
      open
      title="Reject access?"
      confirmLabel="Reject"
      onConfirm={onConfirm}
      onClose={onClose}
      {...props}
    />,
    // Names in the backend's words link to their catalog pages.
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return { onConfirm: (props.onConfirm as jest.Mock) ?? onConfirm, onClose };
}

describe('ReasonDialog', () => {
  it('is a labelled dialog that sends an optional reason trimmed, or none', async () => {
    const { onConfirm } = await renderDialog();

    expect(
      screen.getByRole('dialog', { name: 'Reject access?' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Reject' }));
    expect(onConfirm).toHaveBeenCalledWith(undefined);

    await userEvent.type(
      screen.getByLabelText('Reason (optional)'),
      '  not needed  ',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Reject' }));
    expect(onConfirm).toHaveBeenLastCalledWith('not needed');
  });

  it('refuses to go on without a reason when the flow requires one', async () => {
    const { onConfirm } = await renderDialog({ reasonRequired: true });

    await userEvent.click(screen.getByRole('button', { name: 'Reject' }));

    expect(
      screen.getByText('A reason is required for this decision'),
    ).toBeInTheDocument();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('enforces the 124-character limit', async () => {
    const { onConfirm } = await renderDialog();

    const field = screen.getByLabelText('Reason (optional)');
    await userEvent.click(field);
    await userEvent.paste('x'.repeat(125));

    expect(
      screen.getByText('At most 124 characters (125 now)'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reject' })).toBeDisabled();
    expect(onConfirm).not.toHaveBeenCalled();

    await userEvent.type(field, '{backspace}');
    expect(screen.getByText('124/124')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reject' })).toBeEnabled();
  });

  it('keeps a conflict in the dialog with the backend’s words', async () => {
    const onConfirm = jest.fn(async () => {
      throw apiError(
        409,
        'The request is granting; decided by user:default/lee (approve)',
      );
    });
    await renderDialog({ onConfirm });

    await userEvent.click(screen.getByRole('button', { name: 'Reject' }));

    // The backend's words, with the one who decided first by name.
    const alert = await within(screen.getByRole('dialog')).findByRole('alert');
    expect(alert).toHaveTextContent(
      'Already changed: The request is granting; decided by lee (approve)',
    );
    expect(alert).not.toHaveTextContent('user:default/lee');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('keeps a refused reason in the dialog with the backend’s words', async () => {
    const onConfirm = jest.fn(async () => {
      throw apiError(400, "reason: flow 'prod' requires a reason to reject");
    });
    await renderDialog({ onConfirm });

    await userEvent.click(screen.getByRole('button', { name: 'Reject' }));

    expect(
      await screen.findByText(/flow 'prod' requires a reason to reject/),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(screen.getByLabelText('Reason (optional)')).toBeInTheDocument();
  });
});
