import { AccessItem } from '@jit-access/plugin-access-common';

/** The most items one submission may hold (the backend's limit). */
export const MAX_ITEMS = 1000;

/** What the person picked, in one of the three ways. */
export interface Selection {
  items: AccessItem[];
  /** Set when picked from a bundle; `whole` submits the bundle itself. */
  bundle?: { id: string; title: string; whole: boolean };
}

export const EMPTY_SELECTION: Selection = { items: [] };

export function itemKey(item: AccessItem): string {
  return `${item.resourceRef}|${item.permission}`;
}

/** Items without duplicates, in first-seen order. */
export function uniqueItems(items: AccessItem[]): AccessItem[] {
  const seen = new Set<string>();
  return items.filter(item => {
    const key = itemKey(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
