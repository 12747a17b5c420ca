import { type RecordError, recordError } from '../errors.ts';
import { defaultPipeline, findPipeline } from '../orgs.ts';
import type { SbOrg, StoredRecord } from '../state.ts';

/**
 * A Deal's Stage must be a stage of its Pipeline; a deal governed by a Blueprint refuses a
 * direct Stage change (it moves only through the Blueprint's transitions).
 */
export function checkDealStage(
  org: SbOrg,
  fields: Record<string, unknown>,
  input: Record<string, unknown>,
  index: number,
  existing?: StoredRecord,
): RecordError | undefined {
  const pipelineName =
    typeof fields['Pipeline'] === 'string' ? fields['Pipeline'] : defaultPipeline(org).pipeline.name;
  const pipeline = findPipeline(org, pipelineName);
  if (!pipeline) {
    return recordError('INVALID_DATA', 'invalid data', {
      api_name: 'Pipeline',
      json_path: `$.data[${index}].Pipeline`,
      expected_data_type: 'picklist',
    });
  }
  fields['Pipeline'] = pipeline.name;
  if (!pipeline.stages.some((s) => s.name === fields['Stage'])) {
    return recordError('INVALID_DATA', 'invalid data', {
      api_name: 'Stage',
      json_path: `$.data[${index}].Stage`,
      expected_data_type: 'picklist',
    });
  }
  const stageChanged = existing && 'Stage' in input && existing.fields['Stage'] !== fields['Stage'];
  if (stageChanged && inBlueprint(org, existing)) {
    return recordError(
      'RECORD_IN_BLUEPRINT',
      'the record is in blueprint, the Stage can be changed only through its transitions',
      {
        api_name: 'Stage',
        json_path: `$.data[${index}].Stage`,
        id: existing.id,
      },
    );
  }
  const stage = pipeline.stages.find((s) => s.name === fields['Stage']);
  if (stage && !('Probability' in input)) fields['Probability'] = stage.probability;
  return undefined;
}

export function inBlueprint(org: SbOrg, rec: StoredRecord): boolean {
  return org.blueprints.some(
    (b) =>
      b.module === 'Deals' &&
      ((b.record_ids ?? []).includes(rec.id) ||
        (b.pipeline !== undefined && b.pipeline === rec.fields['Pipeline'])),
  );
}
