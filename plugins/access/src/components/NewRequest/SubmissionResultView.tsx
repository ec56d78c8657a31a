import { Link, LinkButton } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { Alert } from '@material-ui/lab';
import { Submitted } from '@jit-access/plugin-access-common';
import {
  formatIsoDuration,
  statusLabel,
  summariseItems,
} from '../shared/format';
import { useAccessLinks } from '../shared/useAccessLinks';

/** The requests a submission created (one per flow), each linking to its page. */
export function SubmissionResultView(props: {
  result: Submitted;
  onNew(): void;
}) {
  const { result } = props;
  const links = useAccessLinks();
  const count = result.requests.length;
  return (
    <>
      <Alert severity="success" role="status">
        Submitted: {count} request{count === 1 ? '' : 's'} created
        {count > 1 ? ', one per access flow' : ''}.
      </Alert>
      <List aria-label="Requests created">
        {result.requests.map(request => (
          <ListItem key={request.id} divider>
            <ListItemText
              primary={
                <Link to={links.request(request.id)}>
                  {summariseItems(request.items, 3)}
                </Link>
              }
              // On the page's grey background the secondary text colour is below 4.5:1.
              secondaryTypographyProps={{ color: 'textPrimary' }}
              secondary={[
                statusLabel(request.status),
                request.duration && formatIsoDuration(request.duration),
                `flow ${request.flowTitle}`,
              ]
                .filter(Boolean)
                .join(' · ')}
            />
          </ListItem>
        ))}
      </List>
      <div style={{ display: 'flex', gap: 16 }}>
        <LinkButton variant="contained" color="primary" to={links.requests}>
          See my requests
        </LinkButton>
        <Button onClick={props.onNew}>New request</Button>
      </div>
    </>
  );
}
