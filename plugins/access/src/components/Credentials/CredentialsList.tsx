import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import { useAccessTranslation } from '../shared/i18n';

/** Credential fields with a copy button each. */
export function CredentialsList(props: {
  credentials: Record<string, string>;
}) {
  const { t } = useAccessTranslation();
  const copy = (value: string) => {
    // Clipboard access may be refused (insecure context); the value stays selectable.
    navigator.clipboard?.writeText(value).catch(() => undefined);
  };
  return (
    <Table size="small" aria-label={t('credentials.tableLabel')}>
      <TableBody>
        {Object.entries(props.credentials).map(([name, value]) => (
          <TableRow key={name}>
            <TableCell component="th" scope="row">
              {name}
            </TableCell>
            <TableCell
              style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
            >
              {value}
            </TableCell>
            <TableCell padding="checkbox">
              <Tooltip title={t('credentials.copy', { name })}>
                <IconButton
                  aria-label={t('credentials.copy', { name })}
                  size="small"
                  onClick={() => copy(value)}
                >
                  <FileCopyIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
