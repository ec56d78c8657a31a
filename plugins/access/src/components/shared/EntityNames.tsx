import {
  EntityDisplayName,
  EntityRefLink,
} from '@backstage/plugin-catalog-react';
import { Fragment } from 'react';

/**
 * A person, group or resource by its catalog presentation (display name or title), linking to
 * its catalog page; the entity ref stays in the tooltip.
 */
export function EntityName(props: { entityRef: string }) {
  return <EntityRefLink entityRef={props.entityRef} hideIcon />;
}

/** The same name without a link, for text that is itself a link to something else. */
export function EntityTitle(props: { entityRef: string }) {
  return <EntityDisplayName entityRef={props.entityRef} hideIcon />;
}

/** Entity refs inside a sentence the backend wrote, e.g. "member of group:default/payments". */
const ENTITY_REF = /\b[a-z][\w-]*:[\w.-]+\/[\w.-]+/gi;

/** Splits a sentence into text and the entity refs in it, in order. */
export function splitEntityRefs(
  text: string,
): Array<{ text: string } | { entityRef: string }> {
  const parts: Array<{ text: string } | { entityRef: string }> = [];
  let last = 0;
  for (const match of text.matchAll(ENTITY_REF)) {
    const at = match.index ?? 0;
    if (at > last) parts.push({ text: text.slice(last, at) });
    parts.push({ entityRef: match[0] });
    last = at + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * A sentence the backend wrote, with each entity ref in it by name: "The request is rejected;
 * decided by user:default/lee" reads "The request is rejected; decided by Lee Lead".
 */
export function TextWithNames(props: { text: string }) {
  return (
    <>
      {splitEntityRefs(props.text).map((part, i) => (
        <Fragment key={i}>
          {'entityRef' in part ? (
            <EntityName entityRef={part.entityRef} />
          ) : (
            part.text
          )}
        </Fragment>
      ))}
    </>
  );
}

/**
 * Why someone may approve ("member of group:default/payments, owner of
 * resource:default/payments-db"), with each entity by name: "member of Payments team, owner of
 * Payments PostgreSQL database".
 */
export function WhyText(props: { why: string }) {
  return <TextWithNames text={props.why} />;
}
