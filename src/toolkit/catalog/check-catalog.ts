import { collectIndexes, type EntityIndexSource } from '../table/derive-table-definition';
import { declaredRequests, partiqlDeclarationProblem, type Catalog } from './types';

export interface CatalogCheck {
  /** A pattern names an index or entity the model does not have, or declares PartiQL statements wrongly. */
  errors: string[];
  /** Indexes the entities define that no pattern uses: each costs writes and storage. */
  unusedIndexes: string[];
}

/** Checks a catalog against the model's entities: every index and entity a pattern names exists. */
export function checkCatalog(catalog: Catalog, entities: readonly EntityIndexSource[]): CatalogCheck {
  const indexes = collectIndexes(entities);
  const indexNames = new Set([...indexes.keys()].map((name) => (name === '' ? 'table' : name)));
  const entityNames = new Set(entities.map((e) => e.schema.model.entity));
  const errors: string[] = [];
  const used = new Set<string>();
  for (const pattern of catalog) {
    for (const entity of pattern.entities) {
      if (!entityNames.has(entity)) errors.push(`${pattern.name} names entity "${entity}", which the model does not have (it has ${[...entityNames].join(', ')})`);
    }
    for (const request of declaredRequests(pattern)) {
      used.add(request.index);
      const partiql = partiqlDeclarationProblem(request);
      if (partiql) errors.push(`${pattern.name}: ${partiql}`);
      if (!indexNames.has(request.index)) errors.push(`${pattern.name} declares a ${request.operation} on index "${request.index}", which no entity defines (the model has ${[...indexNames].join(', ')})`);
    }
  }
  const unusedIndexes = [...indexNames].filter((name) => name !== 'table' && !used.has(name));
  return { errors, unusedIndexes };
}
