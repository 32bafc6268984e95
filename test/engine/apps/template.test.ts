import { describe, expect, it } from 'vitest';
import {
  normalizeName,
  renderFastTemplate,
  renderGoTemplate,
  renderObject,
} from '../../../src/engine/apps/index.js';

const params = {
  path: {
    path: 'apps/Web_UI/overlays/staging',
    basename: 'staging',
    segments: ['apps', 'Web_UI', 'overlays', 'staging'],
  },
  env: 'Staging',
  empty: '',
  replicas: 3,
  tags: { team: 'a' },
};
const go = (s: string, missingKeyError = false) => renderGoTemplate(s, params, { missingKeyError });

describe('fasttemplate', () => {
  it('replaces known keys, keeps unknown tags and tolerates spaces', () => {
    const flat = { 'path.basename': 'dev', 'path[1]': 'web', name: 'x' };
    expect(renderFastTemplate('{{path[1]}}-{{ path.basename }}', flat)).toBe('web-dev');
    expect(renderFastTemplate('{{unknown}}/{{name}}', flat)).toBe('{{unknown}}/x');
  });
});

describe('Go templates', () => {
  it('reads fields with and without spaces', () => {
    expect(go('{{.path.basename}}/{{ .env }}')).toBe('staging/Staging');
    expect(go('{{.replicas}}')).toBe('3');
  });

  it('supports index, pipelines and the common functions', () => {
    expect(go('{{index .path.segments 1}}')).toBe('Web_UI');
    expect(go('{{ index .path.segments 1 | normalize }}')).toBe('web-ui');
    expect(go('{{ .env | lower }}-{{ upper .env }}')).toBe('staging-STAGING');
    expect(go('{{ .empty | default "none" }}|{{ default "d" .env }}')).toBe('none|Staging');
    expect(go('{{ replace "_" "-" (index .path.segments 1) }}')).toBe('Web-UI');
    expect(go('{{ printf "%s-%d" .env .replicas }}')).toBe('Staging-3');
    expect(go('{{ trunc 3 .env }}{{ .env | trimPrefix "Sta" }}')).toBe('Staging');
    expect(go('{{ toJson .tags }}')).toBe('{"team":"a"}');
  });

  it('supports if / else if / else, with, range and variables', () => {
    expect(go('{{ if eq .env "prod" }}p{{ else if eq .env "Staging" }}s{{ else }}o{{ end }}')).toBe('s');
    expect(go('{{- if .empty }}yes{{ else }} no {{- end }}')).toBe(' no');
    expect(go('{{ with .tags }}{{ .team }}{{ end }}')).toBe('a');
    expect(go('{{ range $i, $s := .path.segments }}{{ $i }}={{ $s }} {{ end }}')).toBe(
      '0=apps 1=Web_UI 2=overlays 3=staging ',
    );
    expect(go('{{ $e := .env }}{{ range .path.segments }}{{ $e }}{{ end }}')).toBe('Staging'.repeat(4));
    expect(go('{{/* a comment */}}x')).toBe('x');
  });

  it('prints <no value> for missing keys unless missingkey=error', () => {
    expect(go('{{ .nope }}')).toBe('<no value>');
    expect(() => go('{{ .nope }}', true)).toThrow('map has no entry for key "nope"');
  });

  it('refuses unsupported syntax with one line', () => {
    for (const [src, msg] of [
      ['{{ template "x" }}', '{{template}} is not supported'],
      ['{{ sha256sum .env }}', 'function "sha256sum" is not supported'],
      ['{{ .env ', 'unclosed action'],
      ['{{ if .env }}x', 'missing {{end}}'],
      ['{{ end }}', 'unexpected {{end}}'],
      ['{{ $x = 1 }}', 'not supported'],
      ['{{ index .path.segments 9 }}', 'out of range'],
    ] as const) {
      expect(() => go(src)).toThrow(msg);
    }
  });
});

describe('renderObject and normalize', () => {
  it('renders keys and string values, leaves other values', () => {
    const out = renderObject(
      { metadata: { name: '{{.env}}', labels: { '{{.env}}': 'x' } }, n: 1, b: true, l: ['{{.replicas}}'] },
      params,
      { goTemplate: true, goTemplateOptions: [] },
    );
    expect(out).toEqual({ metadata: { name: 'Staging', labels: { Staging: 'x' } }, n: 1, b: true, l: ['3'] });
  });

  it('normalizes like Argo CD', () => {
    expect(normalizeName('-Web_UI.v2/Beta-')).toBe('web-ui.v2-beta');
  });
});
