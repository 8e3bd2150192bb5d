/**
 * Bulk assignment: one `assign` step per selected hazard, each with the version the operator saw, one
 * after another (the server locks each row; a burst of parallel steps gains nothing on one desk). A
 * refusal of one row (409 changed meanwhile, 403, 400) is reported for that row and the rest go on.
 */
import type { HazardActionBody, HazardDetail } from '../../../shared/src/schemas/hazards.ts';
import { HazardRequestError } from './hazard-api.ts';

export type FailureKind = 'conflict' | 'forbidden' | 'invalid' | 'other';

export interface RowFailure {
  kind: FailureKind;
  message: string;
}

/** What went wrong, in the words the operator acts on: 409 is "someone else changed it". */
export function failureOf(error: unknown): RowFailure {
  if (!(error instanceof HazardRequestError)) return { kind: 'other', message: String(error) };
  const kind: FailureKind =
    error.status === 409
      ? 'conflict'
      : error.status === 403
        ? 'forbidden'
        : error.status === 400
          ? 'invalid'
          : 'other';
  return { kind, message: error.detail || `HTTP ${error.status}` };
}

export type BulkResult =
  { id: number; ok: true; hazard: HazardDetail } | { id: number; ok: false; failure: RowFailure };

export async function bulkAssign(
  targets: readonly { id: number; version: number }[],
  responsible: string,
  act: (id: number, body: HazardActionBody) => Promise<HazardDetail>,
  onResult: (result: BulkResult) => void = () => {},
): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const { id, version } of targets) {
    let result: BulkResult;
    try {
      result = {
        id,
        ok: true,
        hazard: await act(id, { action: 'assign', version, responsible: responsible.trim() }),
      };
    } catch (error) {
      result = { id, ok: false, failure: failureOf(error) };
    }
    results.push(result);
    onResult(result);
  }
  return results;
}
