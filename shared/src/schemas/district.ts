import { Type, type Static } from 'typebox';

/** The county/district the server holds: what the wall opens on. */
export const DistrictResponse = Type.Object({
  code: Type.String({ description: 'NBS division code' }),
  name: Type.String(),
  bbox: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
    description: 'minLon, minLat, maxLon, maxLat (WGS84)',
  }),
});
export type DistrictResponse = Static<typeof DistrictResponse>;
