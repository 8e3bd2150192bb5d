import { Type, type Static } from 'typebox';
import { STATION_STATUSES, STATION_TIERS } from '../domain.ts';

export const StationStatusBody = Type.Object(
  {
    status: Type.Enum([...STATION_STATUSES]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'why, for the record' })),
  },
  { additionalProperties: false },
);
export type StationStatusBody = Static<typeof StationStatusBody>;

export const StationCode = Type.String({ pattern: '^[A-Za-z0-9-]{1,32}$' });

export const StationStatusView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  tier: Type.Enum([...STATION_TIERS]),
  status: Type.Enum([...STATION_STATUSES]),
  updatedAt: Type.String(),
});
export type StationStatusView = Static<typeof StationStatusView>;
