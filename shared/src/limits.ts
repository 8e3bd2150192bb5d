/**
 * Plain figures of the API contract that the page's shell needs, apart from the TypeBox schemas: a
 * schema module imported for a constant brings every schema it builds (and TypeBox) into the bundle.
 */

/** The largest page of items `/ogc/collections/{id}/items` serves, and the page it serves unasked. */
export const MAX_ITEMS_LIMIT = 10_000;
export const DEFAULT_ITEMS_LIMIT = 10;
