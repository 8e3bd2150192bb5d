import { Type, type Static } from 'typebox';

/** The one error shape every route answers with. */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String({ description: 'the offending input, e.g. "query.limit" or "body.lon"' })),
});
export type ErrorResponse = Static<typeof ErrorResponse>;
