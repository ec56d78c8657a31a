import { ReactNode } from 'react';

/**
 * Marks an element the plugin draws inside someone else's page (the access page in the app, the
 * card on an entity page). Dialogs and drawers, drawn outside it, carry the same attribute. The
 * end-to-end accessibility checks fail on violations inside these and only list the rest.
 */
export function PluginRoot(props: { part: string; children: ReactNode }) {
  return (
    <div data-jit-access={props.part} style={{ display: 'contents' }}>
      {props.children}
    </div>
  );
}
