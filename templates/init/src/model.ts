import { defineModel } from 'single-table-kit';
import { catalog } from './catalog';
import { entities } from './entities';
import { runners } from './runners';
import { seed } from './seed';
import { createServices } from './services';

/** The model as the toolkit takes it: `npx single-table-kit <command> --model src/model.ts`. */
export const model = defineModel({
  name: '{{name}}',
  entities,
  catalog,
  services: createServices,
  seed,
  runners,
});

export default model;
