/** Git access: the only importer of simple-git. Reading never touches the working tree or index. */

export { type CommitInfo, parseLog } from './log.js';
export { isSafeRev, normalizeRepoPath } from './paths.js';
export { GitRepo, type GitRepoOptions, type LogOptions } from './repo.js';
export { removeReadOnlyTree, treesDir } from './snapshot.js';
