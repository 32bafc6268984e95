import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import {
  assessObjects,
  type Customizations,
  createLuaVm,
  type KubeObject,
  keyLabel,
  loadCustomizationDirs,
  luaHealthRunner,
  mergeCustomizations,
} from '../../engine/index.js';
import type { CommandContext } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { emit, table } from '../output.js';

async function readInput(file: string | undefined): Promise<string> {
  if (!file || file === '-') {
    if (process.stdin.isTTY)
      throw new CliError('usage: bosun health -f FILE (or pipe YAML/JSON on stdin)', ExitCode.Usage);
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      ExitCode.Usage,
      { cause: err },
    );
  }
}

/**
 * Objects from YAML/JSON text, parsed as the Kubernetes tools do: several documents and `List` kinds are
 * flattened, a duplicated key keeps its last value, and objects without a name are still assessed. A document
 * that is not YAML at all is a one-line usage error.
 */
export function objectsFromText(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  const docs = parseAllDocuments(text, { uniqueKeys: false, strict: false });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((d, i) => {
    if (d.errors.length > 0)
      throw new CliError(`document ${i + 1}: ${d.errors[0]?.message.split('\n')[0]}`, ExitCode.Usage);
    const v = d.toJS({ maxAliasCount: 100 }) as unknown;
    const push = (o: unknown) => {
      if (!o || typeof o !== 'object' || Array.isArray(o)) return;
      const obj = o as KubeObject & { items?: unknown[] };
      if (typeof obj.kind !== 'string' || obj.kind === '') return;
      if (obj.kind.endsWith('List') && Array.isArray(obj.items)) {
        obj.items.forEach(push);
        return;
      }
      if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '')
        throw new CliError(
          `document ${i + 1}: ${obj.kind} "${obj.metadata?.name ?? ''}" has no apiVersion`,
          ExitCode.Usage,
        );
      const metadata = obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : { name: '' };
      out.push({
        ...obj,
        metadata: { ...metadata, name: typeof metadata.name === 'string' ? metadata.name : '' },
      });
    };
    push(v);
  });
  return out;
}

async function loadCustomizations(dirs: string[]): Promise<Customizations | undefined> {
  if (dirs.length === 0) return undefined;
  let sources: ReturnType<typeof loadCustomizationDirs>;
  try {
    sources = loadCustomizationDirs(dirs);
  } catch (err) {
    throw new CliError((err as Error).message, ExitCode.Usage, { cause: err });
  }
  return mergeCustomizations(luaHealthRunner(await createLuaVm()), sources);
}

/** `bosun health [-f FILE|-]`: assess objects without any cluster. Exit 1 when any is Degraded or Missing. */
export async function healthCommand(ctx: CommandContext): Promise<number> {
  const objects = objectsFromText(await readInput(ctx.args.file ?? ctx.args.positionals[0]));
  if (objects.length === 0) throw new CliError('no Kubernetes objects found in the input', ExitCode.Usage);
  const customizations = await loadCustomizations(ctx.args.customizations);
  const results = assessObjects(objects, customizations ? { customizations } : {});
  ctx.out(
    emit(
      ctx.args.output,
      {
        objects: results.map((r) => ({
          key: `${r.key.group}/${r.key.kind}/${r.key.namespace}/${r.key.name}`,
          health: r.health?.status ?? null,
          message: r.health?.message ?? null,
          source: r.health?.check ?? null,
        })),
      },
      () =>
        table(
          ['RESOURCE', 'HEALTH', 'MESSAGE'],
          results.map((r) => [
            keyLabel(r.key),
            r.health?.status ?? '-',
            r.health?.message ?? 'no health check for this kind',
          ]),
        ),
    ),
  );
  return results.some((r) => r.health?.status === 'Degraded' || r.health?.status === 'Missing')
    ? ExitCode.Differences
    : ExitCode.Ok;
}
