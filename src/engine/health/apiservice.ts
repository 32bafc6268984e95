import type { Health, KubeObject } from '../model/index.js';
import {
  findCondition,
  healthy,
  parseConditions,
  progressing,
  reasonAndMessage,
  recordAt,
  str,
} from './fields.js';

/** Health of an APIService from its Available condition. */
export function getApiServiceHealth(obj: KubeObject): Health | undefined {
  const name = obj.metadata.name;
  const available = findCondition(parseConditions(recordAt(obj, 'status').conditions), 'Available');
  if (!available) {
    return progressing(
      'apiservice.available',
      `Waiting for the aggregator to check APIService "${name}".`,
      'status.conditions[Available] (absent)',
    );
  }
  const detail = reasonAndMessage(available);
  if (available.status === 'True') {
    return healthy(
      `APIService "${name}" is available${detail ? ` (${detail})` : ''}.`,
      'apiservice.available',
    );
  }
  const service = recordAt(recordAt(obj, 'spec'), 'service');
  const backend = str(service.name)
    ? ` Service ${str(service.namespace) ?? ''}/${str(service.name)}`
    : ' backend';
  return progressing(
    'apiservice.available',
    `APIService "${name}" is not available${detail ? ` (${detail.replace(/\.$/, '')})` : ''}; ` +
      `check that its${backend} has ready endpoints.`,
    `status.conditions[Available] (${available.status ?? 'Unknown'}${available.reason ? `, ${available.reason}` : ''})`,
  );
}
