import { Type, type Static } from 'typebox';
import { BACKENDS } from '../domain.ts';

export const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  backend: Type.Enum([...BACKENDS]),
  postgres: Type.String({ description: 'server_version' }),
  postgis: Type.String({ description: 'PostGIS_Lib_Version()' }),
  migration: Type.Integer({ description: 'latest applied migration number' }),
  uptimeS: Type.Number(),
  simulated: Type.Boolean({
    description: 'simulated grid members feed this server: its live data is not real',
  }),
});
export type HealthResponse = Static<typeof HealthResponse>;
