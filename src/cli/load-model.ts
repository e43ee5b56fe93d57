import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createJiti } from 'jiti';
import { defineModel, type Model } from '../toolkit';
import { referenceModel } from '../reference';

/**
 * The model a command runs on: `--model FILE` (TypeScript or JavaScript, loaded as it is: no build
 * step), its default export or an export named `model`; without it, the reference model.
 */
export async function loadModel(file: string | undefined): Promise<Model> {
  if (file === undefined) return referenceModel;
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`--model ${file}: no such file`);
  const jiti = createJiti(__filename, { interopDefault: true, moduleCache: true });
  const loaded = (await jiti.import(path)) as { default?: unknown; model?: unknown } | undefined;
  const candidate = (loaded as { model?: unknown })?.model ?? (loaded as { default?: unknown })?.default ?? loaded;
  try {
    return defineModel(candidate as Model);
  } catch (error) {
    throw new Error(`--model ${file}: ${(error as Error).message} (export the model as default or as \`model\`, made with defineModel)`);
  }
}
