/** A revert preview never shows the values of the Secret manifests the reverted commit touched. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewRevert, revertChangePlan } from '../../../src/engine/git/revert.js';
import { commitFiles, type KustomizeShop, makeKustomizeShop } from '../../fixtures/repos/index.js';

const values = {
  plain: 'plain-secret-value-7f3a',
  b64: Buffer.from('base64-secret-value-91c2').toString('base64'),
  line: 'MIIBmultiLineSecretLine',
};
const secretYaml = `apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
stringData:
  password: ${values.plain}
  key: |
    -----BEGIN KEY-----
    ${values.line}
    -----END KEY-----
data:
  token: ${values.b64}
`;

let shop: KustomizeShop;
beforeEach(async () => {
  shop = await makeKustomizeShop({ services: ['order-service'] });
});
afterEach(async () => {
  await shop.cleanup();
});

describe('revert preview masks Secret values', () => {
  it('reverting a commit that added a Secret shows its keys, never its values', async () => {
    const file = 'apps/order-service/overlays/dev/db-secret.yaml';
    const c = await commitFiles(shop, { [file]: secretYaml }, 'add db credentials');
    const pv = await previewRevert({
      repoPath: shop.work,
      cacheDir: join(shop.root, 'cache'),
      commit: c,
      targetBranch: 'main',
      identity: 'alice@bastion',
    });
    const shown = revertChangePlan(pv, { id: 'r1', targetBranch: 'main' }).fileDiff;
    for (const v of Object.values(values)) expect(shown).not.toContain(v);
    expect(shown).toMatch(/^- {2}password: \+{8}$/m);
    expect(shown).toMatch(/^- {2}token: \+{8}$/m);
    expect(shown).toContain(`diff --git a/${file} b/${file}`);
  });
});
