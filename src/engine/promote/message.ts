import { formatTrailers } from '../git/identity.js';
import type { ServicePromotion } from './service-promotion.js';

/**
 * The commit message of a promotion: subject `promote <service> <from> → <to> to <env> (from <env>)`
 * (or `promote N services to <env> (from <env>)`), a body listing the files, and the trailers
 * `Promoted-by`, `Bosun-Service` (one per service), `Bosun-From`, `Bosun-To`. Pure.
 */
export function promotionMessage(opts: {
  services: Pick<ServicePromotion, 'service' | 'fromVersion' | 'toVersion' | 'changes'>[];
  from: string;
  to: string;
  identity: string;
}): string {
  const { services, from, to } = opts;
  const one = services.length === 1 ? services[0] : undefined;
  const subject = one
    ? `promote ${one.service} ${one.fromVersion} → ${one.toVersion} to ${to} (from ${from})`
    : `promote ${services.length} services to ${to} (from ${from})`;
  const body: string[] = [];
  for (const s of services) {
    if (!one) body.push(`${s.service} ${s.fromVersion} → ${s.toVersion}`);
    for (const c of s.changes) body.push(`${one ? '' : '  '}- ${c.file}: ${c.description}`);
  }
  const trailers = formatTrailers([
    ['Promoted-by', opts.identity],
    ...services.map((s): [string, string] => ['Bosun-Service', s.service]),
    ['Bosun-From', from],
    ['Bosun-To', to],
  ]);
  return `${subject}\n\n${body.length > 0 ? `${body.join('\n')}\n\n` : ''}${trailers}\n`;
}
