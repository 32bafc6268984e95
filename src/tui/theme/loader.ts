import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { type Env, userConfigDir } from '../../config/paths.js';
import {
  asciiGlyphs,
  builtinNoColorTheme,
  builtinTheme,
  defaultTokens,
  mapTokens,
  unicodeGlyphs,
} from './defaults.js';
import type { Glyphs, Theme } from './types.js';

/** Colour names Ink (chalk) understands, plus `default`/`none` for the terminal default. */
const colourNames = new Set([
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'gray',
  'grey',
  'blackBright',
  'redBright',
  'greenBright',
  'yellowBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
  'whiteBright',
]);

/** The result of reading one theme file: a theme or a one-line error, plus warnings. */
export type ThemeParse = { theme?: Theme; error?: string; warnings: string[] };

/** All themes found, by name, and one-line problems met while reading them. */
export type ThemeRegistry = { themes: Map<string, Theme>; errors: string[] };

/** Parses and validates one theme file's text; missing tokens are filled from the built-in default. */
export function parseTheme(text: string, source: string): ThemeParse {
  const warnings: string[] = [];
  const where = basename(source);
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return { error: `theme ${where}: invalid YAML (${firstLine(err)})`, warnings };
  }
  if (!isRecord(doc))
    return { error: `theme ${where}: expected a mapping with palette, tokens and glyphs`, warnings };
  const name = typeof doc.name === 'string' && doc.name ? doc.name : basename(source).replace(/\.ya?ml$/, '');
  const type = doc.type === 'light' ? 'light' : 'dark';
  const palette: Record<string, string> = {};
  if (doc.palette !== undefined && !isRecord(doc.palette))
    warnings.push(`theme ${where}: palette must be a mapping`);
  for (const [k, v] of Object.entries(isRecord(doc.palette) ? doc.palette : {})) {
    if (typeof v === 'string' && isColour(v)) palette[k] = v;
    else warnings.push(`theme ${where}: palette.${k} is not a colour (${String(v)})`);
  }
  const noColor = doc.noColor === true || name === 'no-color';
  const given = isRecord(doc.tokens) ? doc.tokens : {};
  if (doc.tokens !== undefined && !isRecord(doc.tokens))
    warnings.push(`theme ${where}: tokens must be a mapping`);
  for (const [group, values] of Object.entries(given)) {
    const known = (defaultTokens as unknown as Record<string, Record<string, unknown>>)[group];
    if (!known) warnings.push(`theme ${where}: unknown token group ${group}`);
    else if (isRecord(values))
      for (const k of Object.keys(values))
        if (!(k in known)) warnings.push(`theme ${where}: unknown token ${group}.${k}`);
  }
  const tokens = mapTokens(defaultTokens, (path, fallback) => {
    if (noColor) return undefined;
    const [group, key] = path.split('.') as [string, string];
    const g = given[group];
    const raw = isRecord(g) ? g[key] : undefined;
    if (raw === undefined) return fallback;
    const value = typeof raw === 'string' ? (palette[raw] ?? raw) : undefined;
    if (value === undefined || !isColour(value)) {
      warnings.push(`theme ${where}: ${path} is not a colour or palette name (${String(raw)})`);
      return fallback;
    }
    return value === 'default' || value === 'none' ? undefined : value;
  });
  const { glyphs, ascii } = parseGlyphs(doc.glyphs, where, warnings);
  return { theme: { name, type, tokens, glyphs, ascii, noColor, source }, warnings };
}

/** Reads every `*.yaml`/`*.yml` theme in the given directories; later directories override earlier ones. */
export function loadThemes(dirs: string[]): ThemeRegistry {
  const themes = new Map<string, Theme>([
    [builtinTheme.name, builtinTheme],
    [builtinNoColorTheme.name, builtinNoColorTheme],
  ]);
  const errors: string[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    let names: string[];
    try {
      names = readdirSync(dir)
        .filter((n) => /\.ya?ml$/.test(n))
        .sort();
    } catch (err) {
      errors.push(`themes in ${dir} cannot be listed (${firstLine(err)})`);
      continue;
    }
    for (const file of names) {
      const path = join(dir, file);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        errors.push(`theme ${file}: cannot be read (${firstLine(err)})`);
        continue;
      }
      const r = parseTheme(text, path);
      errors.push(...r.warnings);
      if (r.theme) themes.set(r.theme.name, r.theme);
      else if (r.error) errors.push(r.error);
    }
  }
  return { themes, errors };
}

/** Where themes are looked for: the built-in `themes/` folder, then `$XDG_CONFIG_HOME/bosun/themes`. */
export function defaultThemeDirs(env: Env): string[] {
  const dirs: string[] = [];
  const builtin = builtinThemeDir();
  if (builtin) dirs.push(builtin);
  dirs.push(join(userConfigDir(env), 'themes'));
  return dirs;
}

/** The package's `themes/` folder, found by walking up from this module. */
export function builtinThemeDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'themes');
    if (existsSync(join(candidate, 'default-dark.yaml'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Picks the theme to use: NO_COLOR wins, then the requested name, then the cluster's theme, then default-dark. */
export function pickTheme(
  registry: ThemeRegistry,
  opts: { requested?: string; cluster?: string; env: Env },
): { theme: Theme; warning?: string } {
  const fallback = registry.themes.get('default-dark') ?? builtinTheme;
  if (opts.env.NO_COLOR) return { theme: registry.themes.get('no-color') ?? builtinNoColorTheme };
  if (opts.requested) {
    const t = registry.themes.get(opts.requested);
    if (t) return { theme: t };
    const known = [...registry.themes.keys()].sort().join(', ');
    return {
      theme: fallback,
      warning: `theme "${opts.requested}" not found (known: ${known}); using ${fallback.name}`,
    };
  }
  if (opts.cluster) {
    const t = registry.themes.get(opts.cluster);
    if (t) return { theme: t };
  }
  return { theme: fallback };
}

function parseGlyphs(raw: unknown, where: string, warnings: string[]): { glyphs: Glyphs; ascii: boolean } {
  if (raw === 'ascii') return { glyphs: asciiGlyphs, ascii: true };
  if (raw === undefined || raw === 'unicode') return { glyphs: unicodeGlyphs, ascii: false };
  if (!isRecord(raw)) {
    warnings.push(`theme ${where}: glyphs must be "unicode", "ascii" or a mapping`);
    return { glyphs: unicodeGlyphs, ascii: false };
  }
  const ascii = raw.ascii === true;
  const base = ascii ? asciiGlyphs : unicodeGlyphs;
  return { glyphs: mergeStrings(base, raw, `theme ${where}: glyphs`, warnings) as Glyphs, ascii };
}

function mergeStrings(
  base: object,
  over: Record<string, unknown>,
  where: string,
  warnings: string[],
): object {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (k === 'ascii') continue;
    const b = (base as Record<string, unknown>)[k];
    if (b === undefined) warnings.push(`${where}.${k} is unknown`);
    else if (typeof b === 'string' && typeof v === 'string') out[k] = v;
    else if (typeof b === 'object' && isRecord(v))
      out[k] = mergeStrings(b as object, v, `${where}.${k}`, warnings);
    else warnings.push(`${where}.${k} has the wrong type`);
  }
  return out;
}

function isColour(v: string): boolean {
  return /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(v) || colourNames.has(v) || v === 'default' || v === 'none';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}
