import { describe, expect, it } from 'vitest';
import { maskedFileDiff, maskSecretText, SECRET_TEXT_CHANGED } from '../../../src/engine/diff/secret-text.js';
import { SECRET_MASK } from '../../../src/engine/diff/secrets.js';

const plain = 'hunter2-plain-value';
const b64 = Buffer.from('s3cr3t-base64-value').toString('base64');
const multi = '-----BEGIN KEY-----\nMIIBmultiLINEsecret\n-----END KEY-----\n';
const secret = (pw: string) => `# the app's credentials
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: ${pw}
  key: |
${multi
  .split('\n')
  .filter(Boolean)
  .map((l) => `    ${l}`)
  .join('\n')}
data:
  token: ${b64}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
data:
  shown: visible-value
`;

describe('masking Secret values in file text and file diffs', () => {
  it('masks every value of data and stringData; keys, comments and other documents stay', () => {
    const out = maskSecretText(secret(plain));
    for (const v of [plain, b64, 'MIIBmultiLINEsecret']) expect(out).not.toContain(v);
    expect(out).toContain(`password: ${SECRET_MASK}`);
    expect(out).toContain('token:');
    expect(out).toContain("# the app's credentials");
    expect(out).toContain('shown: visible-value');
  });

  it('a diff that adds a Secret shows its keys with masks only', () => {
    const d = maskedFileDiff({ file: 'apps/x/secret.yaml', before: '', after: secret(plain) });
    for (const v of [plain, b64, 'MIIBmultiLINEsecret']) expect(d).not.toContain(v);
    expect(d).toMatch(/^\+ {2}password: \+{8}$/m);
    expect(d).toMatch(/^diff --git a\/apps\/x\/secret.yaml b\/apps\/x\/secret.yaml$/m);
  });

  it('a changed value reads "changed"; unchanged values do not show as changes', () => {
    const d = maskedFileDiff({ file: 's.yaml', before: secret(plain), after: secret('another-value-9') });
    expect(d).not.toContain('another-value-9');
    expect(d).not.toContain(plain);
    expect(d).toContain(`+  password: ${SECRET_TEXT_CHANGED}`);
    expect(d).toContain(`-  password: ${SECRET_MASK}`);
    expect(d).not.toMatch(/^[-+] {2}token:/m);
  });

  it('leaves text without Secrets alone', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n';
    expect(maskSecretText(text)).toBe(text);
  });
});
