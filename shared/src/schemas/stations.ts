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

/** A station's video stream (the video roll-call's): an HTTP(S) address, or null to remove it. */
export const StationStreamBody = Type.Object(
  {
    url: Type.Union([
      Type.String({
        pattern: '^https?://\\S+$',
        maxLength: 500,
        description: 'an HLS playlist, e.g. …/index.m3u8',
      }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
export type StationStreamBody = Static<typeof StationStreamBody>;

export const StationStreamView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  streamUrl: Type.Union([Type.String(), Type.Null()]),
});
export type StationStreamView = Static<typeof StationStreamView>;
