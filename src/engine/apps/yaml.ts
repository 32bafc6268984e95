import { LineCounter, parseAllDocuments } from 'yaml';

/** Aliases allowed per document: enough for real manifests, far too few for a "billion laughs" bomb. */
export const defaultMaxAliasCount = 100;

/** The documents of a YAML/JSON text, or one line saying why it cannot be read. */
export type YamlDocs = { ok: true; docs: unknown[] } | { ok: false; error: string };

/**
 * Parses a multi-document YAML (or JSON) text safely: duplicate keys are errors, aliases are
 * limited, empty documents are dropped. Pure; never throws.
 */
export function parseYamlDocs(text: string, opts: { maxAliasCount?: number } = {}): YamlDocs {
  const maxAliasCount = opts.maxAliasCount ?? defaultMaxAliasCount;
  let parsed: ReturnType<typeof parseAllDocuments>;
  const lines = new LineCounter();
  try {
    parsed = parseAllDocuments(text, {
      uniqueKeys: true,
      prettyErrors: false,
      merge: true,
      lineCounter: lines,
    });
  } catch (err) {
    return { ok: false, error: `invalid YAML: ${firstLine(String((err as Error)?.message ?? err))}` };
  }
  if (!Array.isArray(parsed)) return { ok: true, docs: [] };
  const docs: unknown[] = [];
  for (const doc of parsed) {
    const e = doc.errors[0];
    if (e) {
      const line = lines.linePos(e.pos[0]).line;
      return {
        ok: false,
        error: `invalid YAML${line === undefined ? '' : ` at line ${line}`}: ${firstLine(e.message)}`,
      };
    }
    try {
      const value: unknown = doc.toJS({ maxAliasCount });
      if (value !== null && value !== undefined) docs.push(value);
    } catch (err) {
      const msg = firstLine(String((err as Error)?.message ?? err));
      return {
        ok: false,
        error: /alias/i.test(msg)
          ? `refused YAML: more than ${maxAliasCount} alias expansions (possible YAML bomb)`
          : `invalid YAML: ${msg}`,
      };
    }
  }
  return { ok: true, docs };
}

/** True for file names discovery reads as manifests. */
export function isManifestFile(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name);
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '')
    .replace(/:\s*$/, '')
    .replace(/ at line \d+, column \d+$/, '')
    .trim();
}
