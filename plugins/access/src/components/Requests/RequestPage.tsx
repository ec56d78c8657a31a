import { Link } from '@backstage/core-components';
import { useParams } from 'react-router-dom';
import { useAccessTranslation } from '../shared/i18n';
import { useAccessLinks } from '../shared/useAccessLinks';
import { RequestDetails } from './RequestDetails';

/** `/access/requests/:id`: the page every notification links to. */
export function RequestPage() {
  const { id = '' } = useParams();
  const links = useAccessLinks();
  const { t } = useAccessTranslation();
  return (
    <>
      <Link to={links.requests}>{t('requestPage.back')}</Link>
      <div style={{ marginTop: 16 }}>
        <RequestDetails requestId={id} />
      </div>
    </>
  );
}
