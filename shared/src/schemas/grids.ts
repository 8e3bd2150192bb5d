import { Type, type Static } from 'typebox';
import { GRID_LEVELS } from '../domain.ts';

export const GridCode = Type.String({ pattern: '^G[0-9]{9,12}(-[0-9]{1,4})?$' });

export const GridGeometryView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Enum([...GRID_LEVELS]),
  areaKm2: Type.Number(),
});
export type GridGeometryView = Static<typeof GridGeometryView>;
