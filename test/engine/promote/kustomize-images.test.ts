import { describe, expect, it } from 'vitest';
import { readKustomizeImages, setKustomizeImage } from '../../../src/engine/promote/kustomize-images.js';

const overlay = `# prod overlay: edited by hand and by bosun
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources:
  - ../../base   # shared
  - hpa.yaml
images:
  - name: registry.local/shop/order-service   # the app
    newTag: "v1.47.1"  # pinned by release
  - {name: registry.local/shop/sidecar, newTag: 1.0}
  - name: registry.local/shop/worker
    newName: mirror.local/shop/worker
    newTag: v3
    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000

patches:
  - path: replicas.yaml   # 3 replicas
`;

/** Asserts `after` equals `before` with exactly one substring replaced. */
function expectOnlyReplaced(before: string, after: string, from: string, to: string): void {
  const i = before.indexOf(from);
  expect(i).toBeGreaterThanOrEqual(0);
  expect(after).toBe(before.slice(0, i) + to + before.slice(i + from.length));
}

describe('readKustomizeImages', () => {
  it('reads every entry with its fields as written', () => {
    expect(readKustomizeImages(overlay)).toEqual([
      { name: 'registry.local/shop/order-service', newTag: 'v1.47.1' },
      { name: 'registry.local/shop/sidecar', newTag: '1.0' },
      {
        name: 'registry.local/shop/worker',
        newName: 'mirror.local/shop/worker',
        newTag: 'v3',
        digest: `sha256:${'0'.repeat(64)}`,
      },
    ]);
  });

  it('is empty without images', () => {
    expect(readKustomizeImages('kind: Kustomization\nresources: [a]\n')).toEqual([]);
  });
});

describe('setKustomizeImage', () => {
  it('changes only the newTag scalar, keeping its quotes and comments', () => {
    const after = setKustomizeImage(overlay, {
      name: 'registry.local/shop/order-service',
      newTag: 'v1.47.2',
    });
    expectOnlyReplaced(overlay, after, '"v1.47.1"', '"v1.47.2"');
  });

  it('quotes a number-looking tag written into a plain scalar', () => {
    const after = setKustomizeImage(overlay, { name: 'registry.local/shop/worker', newTag: '1.10' });
    expectOnlyReplaced(overlay, after, 'newTag: v3', 'newTag: "1.10"');
    expect(readKustomizeImages(after)[2]?.newTag).toBe('1.10');
  });

  it('edits a flow-mapping entry in place and adds a field there', () => {
    const after = setKustomizeImage(overlay, {
      name: 'registry.local/shop/sidecar',
      newTag: '2.0',
      newName: 'mirror/sidecar',
    });
    expectOnlyReplaced(
      overlay,
      after,
      '{name: registry.local/shop/sidecar, newTag: 1.0}',
      '{name: registry.local/shop/sidecar, newTag: "2.0", newName: mirror/sidecar}',
    );
  });

  it('adds a missing field inside the entry, indented like its siblings', () => {
    const after = setKustomizeImage(overlay, {
      name: 'registry.local/shop/order-service',
      digest: 'sha256:abc',
    });
    expectOnlyReplaced(
      overlay,
      after,
      '    newTag: "v1.47.1"  # pinned by release\n',
      '    newTag: "v1.47.1"  # pinned by release\n    digest: sha256:abc\n',
    );
  });

  it('removes a field (its whole line) when asked with null', () => {
    const after = setKustomizeImage(overlay, {
      name: 'registry.local/shop/worker',
      newTag: 'v4',
      digest: null,
    });
    expect(after).toBe(
      overlay.replace('newTag: v3', 'newTag: v4').replace(`    digest: sha256:${'0'.repeat(64)}\n`, ''),
    );
  });

  it('appends a missing entry to images', () => {
    const after = setKustomizeImage(overlay, { name: 'registry.local/shop/new', newTag: 'v1' });
    expectOnlyReplaced(
      overlay,
      after,
      `digest: sha256:${'0'.repeat(64)}\n`,
      `digest: sha256:${'0'.repeat(64)}\n  - name: registry.local/shop/new\n    newTag: v1\n`,
    );
  });

  it('creates images at the end when the kustomization has none', () => {
    const text = 'kind: Kustomization\nresources:\n- ../../base\n';
    expect(setKustomizeImage(text, { name: 'x', newTag: 'v1' })).toBe(
      `${text}images:\n- name: x\n  newTag: v1\n`,
    );
  });

  it('returns the text unchanged when the value is already there', () => {
    expect(setKustomizeImage(overlay, { name: 'registry.local/shop/order-service', newTag: 'v1.47.1' })).toBe(
      overlay,
    );
  });

  it('keeps CRLF line endings and anchors', () => {
    const text = 'images:\r\n- name: a\r\n  newTag: &t v1 # c\r\n';
    const after = setKustomizeImage(text, { name: 'a', newTag: 'v2', digest: 'sha256:1' });
    expect(after).toBe('images:\r\n- name: a\r\n  newTag: &t v2 # c\r\n  digest: sha256:1\r\n');
  });

  it('refuses an edit that would also change an alias of the scalar', () => {
    const text = 'images:\n- name: a\n  newTag: &t v1\nlabels: {tag: *t}\n';
    expect(() => setKustomizeImage(text, { name: 'a', newTag: 'v2' }, 'k.yaml')).toThrow(
      /editing k\.yaml would change more than intended/,
    );
  });

  it('refuses images that are not a list, naming the file', () => {
    expect(() => setKustomizeImage('images: foo\n', { name: 'a', newTag: 'v1' }, 'k.yaml')).toThrow(
      /k\.yaml: images is not a list/,
    );
    expect(() => setKustomizeImage('images: [\n', { name: 'a', newTag: 'v1' }, 'k.yaml')).toThrow(
      /k\.yaml is not valid YAML/,
    );
  });
});
