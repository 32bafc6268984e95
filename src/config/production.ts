/** The one rule for which names mean production when bosun.yaml does not say. */

const productionNames = new Set(['prod', 'production']);

/** True for an environment or cluster named exactly `prod` or `production`, in any case. */
export function isProductionName(name: string | undefined): boolean {
  return name !== undefined && productionNames.has(name.trim().toLowerCase());
}
