import { createTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  accessPage,
  myAccess,
  credentials,
  entityCard,
} from './messages/myAccess';
import { newRequest } from './messages/newRequest';
import { requests, requestPage } from './messages/requests';
import { approvals, requesterContext } from './messages/approvals';
import { admin } from './messages/admin';
import { shared } from './messages/shared';

/**
 * Every string the access plugin shows to people, in English. An app replaces any of them (or
 * adds a language) through its translation API; see the README's "Translations" section.
 *
 * Keys are grouped by the page or component that shows them; `shared.*` is used across pages.
 * Plurals use i18next's `_one` / `_other` suffixes with a `count` value, and values are
 * interpolated as `{{name}}`.
 *
 * @alpha
 */
export const accessTranslationRef = createTranslationRef({
  id: 'access',
  messages: {
    accessPage,
    myAccess,
    newRequest,
    requests,
    requestPage,
    approvals,
    admin,
    credentials,
    entityCard,
    requesterContext,
    shared,
  },
});
