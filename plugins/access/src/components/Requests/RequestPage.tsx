import { Link } from '@backstage/core-components';
import { useParams } from 'react-router-dom';
import { useAccessLinks } from '../shared/useAccessLinks';
import { RequestDetails } from './RequestDetails';

/** `/access/requests/:id`: the page every notification links to. */
export function RequestPage() {
  const { id = '' } = useParams();
  const links = useAccessLinks();
  return (
    <>
      <Link to={links.requests}>← My requests</Link>
      <div style={{ marginTop: 16 }}>
        <RequestDetails requestId={id} />
      </div>
    </>
  );
}
