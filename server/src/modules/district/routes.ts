import type { FastifyInstance } from 'fastify';
import { DistrictResponse } from '../../../../shared/src/schemas/district.ts';
import { ErrorResponse } from '../../../../shared/src/schemas/errors.ts';
import { notFound } from '../../errors.ts';
import type { DistrictRepository } from './repo.ts';

export async function districtRoutes(app: FastifyInstance, { repo }: { repo: DistrictRepository }) {
  app.get(
    '/api/district',
    {
      schema: {
        tags: ['system'],
        summary: 'The district this server holds (code, name, bbox)',
        response: { 200: DistrictResponse, 404: ErrorResponse },
      },
    },
    async () => {
      const district = await repo.county();
      if (!district) throw notFound('no district has been loaded (seed the database)');
      return district;
    },
  );
}
