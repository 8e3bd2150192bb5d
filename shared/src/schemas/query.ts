/** The query string of a route that takes none: a parameter sent anyway answers 400 naming it. */
import { Type } from 'typebox';

export const NoQuery = Type.Object({}, { additionalProperties: false });
