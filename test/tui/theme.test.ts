import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  builtinThemeDir,
  defaultThemeDirs,
  loadThemes,
  parseTheme,
  pickTheme,
} from '../../src/tui/theme/loader.js';
import { themesDir } from './harness.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'bosun-themes-'));

describe('theme loader', () => {
  it('loads the four required built-in themes without warnings', () => {
    const reg = loadThemes([themesDir]);
    expect(reg.errors).toEqual([]);
    for (const name of ['default-dark', 'default-light', 'high-contrast', 'no-color']) {
      const t = reg.themes.get(name);
      expect(t, name).toBeDefined();
      expect(t?.source).toContain(`${name}.yaml`);
    }
    expect(reg.themes.get('default-dark')?.tokens.health.degraded).toBe('#f7768e');
    expect(reg.themes.get('high-contrast')?.tokens.status.error).toBe('redBright');
    expect(reg.themes.get('default-light')?.type).toBe('light');
  });

  it('makes every token of no-color the terminal default', () => {
    const t = loadThemes([themesDir]).themes.get('no-color');
    expect(t?.noColor).toBe(true);
    for (const group of Object.values(t?.tokens ?? {}))
      for (const v of Object.values(group)) expect(v).toBeUndefined();
  });

  it('offers an ASCII glyph set', () => {
    const t = loadThemes([themesDir]).themes.get('ascii');
    expect(t?.ascii).toBe(true);
    expect(t?.glyphs.sync.synced).toBe('=');
    expect(Object.values(t?.glyphs.health ?? {}).every((g) => /^[\x20-\x7e]+$/.test(g))).toBe(true);
  });

  it('finds the built-in themes folder from the module', () => {
    expect(builtinThemeDir()).toBe(themesDir);
    expect(defaultThemeDirs({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/u' })).toEqual([
      themesDir,
      '/x/cfg/bosun/themes',
    ]);
  });

  it('NO_COLOR wins over everything', () => {
    const reg = loadThemes([themesDir]);
    expect(
      pickTheme(reg, { requested: 'high-contrast', cluster: 'default-light', env: { NO_COLOR: '1' } }).theme
        .name,
    ).toBe('no-color');
    expect(pickTheme(reg, { env: { NO_COLOR: '' } }).theme.name).toBe('default-dark');
  });

  it('picks --theme, else the cluster theme, else default-dark; an unknown name is one line and falls back', () => {
    const reg = loadThemes([themesDir]);
    expect(pickTheme(reg, { requested: 'default-light', cluster: 'high-contrast', env: {} }).theme.name).toBe(
      'default-light',
    );
    expect(pickTheme(reg, { cluster: 'high-contrast', env: {} }).theme.name).toBe('high-contrast');
    expect(pickTheme(reg, { cluster: 'nope', env: {} }).theme.name).toBe('default-dark');
    const r = pickTheme(reg, { requested: 'nope', env: {} });
    expect(r.theme.name).toBe('default-dark');
    expect(r.warning).toMatch(/^theme "nope" not found \(known: .*\); using default-dark$/);
  });

  it('reads user themes from the config dir; they override built-ins of the same name', () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'mine.yaml'),
      'name: mine\npalette:\n  pink: "#ff00ff"\ntokens:\n  health: { degraded: pink }\n  text: { accent: cyan }\nglyphs:\n  ascii: true\n  cursor: "*"\n',
    );
    writeFileSync(
      join(dir, 'default-dark.yaml'),
      'name: default-dark\ntokens:\n  status: { error: magenta }\n',
    );
    const reg = loadThemes([themesDir, dir]);
    expect(reg.errors).toEqual([]);
    const mine = reg.themes.get('mine');
    expect(mine?.tokens.health.degraded).toBe('#ff00ff');
    expect(mine?.tokens.text.accent).toBe('cyan');
    // Missing tokens are filled from the built-in default.
    expect(mine?.tokens.sync.synced).toBe('#9ece6a');
    expect(mine?.glyphs.cursor).toBe('*');
    expect(mine?.glyphs.sync.outOfSync).toBe('!');
    expect(reg.themes.get('default-dark')?.tokens.status.error).toBe('magenta');
  });

  it('a bad theme file gives a one-line error and the default is used', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'broken.yaml'), 'name: broken\ntokens: [unclosed\n');
    writeFileSync(join(dir, 'list.yaml'), '- just\n- a list\n');
    const reg = loadThemes([themesDir, dir]);
    expect(reg.themes.has('broken')).toBe(false);
    expect(reg.errors).toHaveLength(2);
    for (const e of reg.errors) expect(e).not.toContain('\n');
    expect(reg.errors[0]).toMatch(/^theme broken\.yaml: invalid YAML/);
    expect(reg.errors[1]).toBe('theme list.yaml: expected a mapping with palette, tokens and glyphs');
    const picked = pickTheme(reg, { requested: 'broken', env: {} });
    expect(picked.theme.name).toBe('default-dark');
  });

  it('keeps going on bad values, with a warning per problem', () => {
    const r = parseTheme(
      'name: odd\npalette:\n  x: notacolour\ntokens:\n  health: { degraded: "#zzz", healthy: green }\n  nonsense: { a: red }\n  sync: { wat: red }\nglyphs: 7\n',
      '/t/odd.yaml',
    );
    expect(r.theme?.tokens.health.degraded).toBe('#f7768e');
    expect(r.theme?.tokens.health.healthy).toBe('green');
    expect(r.warnings).toEqual([
      'theme odd.yaml: palette.x is not a colour (notacolour)',
      'theme odd.yaml: unknown token group nonsense',
      'theme odd.yaml: unknown token sync.wat',
      'theme odd.yaml: health.degraded is not a colour or palette name (#zzz)',
      'theme odd.yaml: glyphs must be "unicode", "ascii" or a mapping',
    ]);
  });

  it('ignores a missing user themes directory', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'empty'));
    expect(loadThemes([themesDir, join(dir, 'absent'), join(dir, 'empty')]).errors).toEqual([]);
  });
});
