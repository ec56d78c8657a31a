import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  EntityRefLinks,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';

/**
 * What the entity is: description, owner, system, type, lifecycle and tags. The demo app has no
 * SCM integrations configured, which the catalog's own About card needs for its source link.
 */
export function DemoAboutCard() {
  const { entity } = useEntity();
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const owners = getEntityRelations(entity, 'ownedBy');
  const systems = getEntityRelations(entity, 'partOf', { kind: 'system' });
  const metadata: Record<string, unknown> = {
    Owner: owners.length ? <EntityRefLinks entityRefs={owners} /> : '—',
  };
  if (systems.length) {
    metadata.System = <EntityRefLinks entityRefs={systems} />;
  }
  if (typeof spec.type === 'string') metadata.Type = spec.type;
  if (typeof spec.lifecycle === 'string') metadata.Lifecycle = spec.lifecycle;
  const tags = entity.metadata.tags ?? [];
  if (tags.length) {
    metadata.Tags = (
      <>
        {tags.map(tag => (
          <Chip key={tag} label={tag} size="small" style={{ marginRight: 4 }} />
        ))}
      </>
    );
  }
  return (
    <InfoCard title="About">
      <Typography paragraph>
        {entity.metadata.description || 'No description'}
      </Typography>
      <StructuredMetadataTable metadata={metadata} dense />
    </InfoCard>
  );
}
