import type { GitAdapter } from '../core/options.js';
import { GitRepo } from './repo.js';

/** The real Git adapter: opens the repository with simple-git. */
export function gitAdapter(): GitAdapter {
  return { open: (opts) => GitRepo.open(opts) };
}
