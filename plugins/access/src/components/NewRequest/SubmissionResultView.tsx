import { Link, LinkButton } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { Alert } from '@material-ui/lab';
import { Submitted } from '@jit-access/plugin-access-common';
import { useAccessTranslation } from '../shared/i18n';
import { useEntityTitles } from '../shared/useEntityTitles';
import { useAccessLinks } from '../shared/useAccessLinks';

/** The requests a submission created (one per flow), each linking to its page. */
export function SubmissionResultView(props: {
  result: Submitted;
  onNew(): void;
}) {
  const { result } = props;
  const links = useAccessLinks();
  const count = result.requests.length;
  const { t, format } = useAccessTranslation();
  const name = useEntityTitles(
    result.requests.flatMap(r => r.items.map(i => i.resourceRef)),
  );
  return (
    <>
      <Alert severity="success" role="status">
        {t('newRequest.result.submitted', { count })}
      </Alert>
      <List aria-label={t('newRequest.result.created')}>
        {result.requests.map(request => (
          <ListItem key={request.id} divider>
            <ListItemText
              primary={
                <Link to={links.request(request.id)}>
                  {format.items(request.items, name, 3)}
                </Link>
              }
              // On the page's grey background the secondary text colour is below 4.5:1.
              secondaryTypographyProps={{ color: 'textPrimary' }}
              secondary={[
                format.status(request.status),
                request.duration && format.duration(request.duration),
                t('newRequest.result.flow', { flow: request.flowTitle }),
              ]
                .filter(Boolean)
                .join(t('newRequest.result.separator'))}
            />
          </ListItem>
        ))}
      </List>
      <div style={{ display: 'flex', gap: 16 }}>
        <LinkButton variant="contained" color="primary" to={links.requests}>
          {t('newRequest.result.seeMyRequests')}
        </LinkButton>
        <Button onClick={props.onNew}>
          {t('newRequest.result.newRequest')}
        </Button>
      </div>
    </>
  );
}
