import type { Health, KubeObject } from '../model/index.js';
import { degraded, healthy, progressing, recordAt, str, unknown } from './fields.js';

/** Annotations the PV controller sets while a dynamic provisioner works on a claim. */
const provisionerAnnotations = [
  'volume.kubernetes.io/storage-provisioner',
  'volume.beta.kubernetes.io/storage-provisioner',
];

/** Health of a PersistentVolumeClaim from its phase: Bound, Pending or Lost. */
export function getPvcHealth(obj: KubeObject): Health | undefined {
  const name = obj.metadata.name;
  const spec = recordAt(obj, 'spec');
  const phase = str(recordAt(obj, 'status').phase);
  switch (phase) {
    case 'Bound': {
      const volume = str(spec.volumeName);
      return healthy(
        `PersistentVolumeClaim "${name}" is bound${volume ? ` to volume ${volume}` : ''}.`,
        'pvc.phase',
      );
    }
    case 'Pending': {
      const annotations = obj.metadata.annotations ?? {};
      const provisioner = provisionerAnnotations.map((a) => annotations[a]).find((p) => p !== undefined);
      if (provisioner) {
        return progressing(
          'pvc.phase',
          `PersistentVolumeClaim "${name}" is Pending while ${provisioner} provisions its volume; ` +
            'if this lasts, read the claim events.',
          'status.phase (Pending)',
        );
      }
      const storageClass = str(spec.storageClassName);
      return progressing(
        'pvc.phase',
        `PersistentVolumeClaim "${name}" is Pending: no volume is bound yet. If its StorageClass` +
          (storageClass ? ` "${storageClass}"` : '') +
          ' uses volumeBindingMode WaitForFirstConsumer it binds once a pod uses it; otherwise check that a ' +
          'matching PersistentVolume or provisioner exists.',
        'status.phase (Pending)',
      );
    }
    case 'Lost':
      return degraded(
        'pvc.phase',
        `PersistentVolumeClaim "${name}" lost its volume ${str(spec.volumeName) ?? ''}`.trimEnd() +
          '; the data may be gone. Restore the PersistentVolume or recreate the claim.',
        'status.phase (Lost)',
      );
    case undefined:
      return progressing(
        'pvc.phase',
        `Waiting for PersistentVolumeClaim "${name}" to report a phase.`,
        'status.phase',
      );
    default:
      return unknown(
        'pvc.phase',
        `PersistentVolumeClaim "${name}" is in unexpected phase ${phase}.`,
        `status.phase (${phase})`,
      );
  }
}
