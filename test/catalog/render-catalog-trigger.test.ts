import { renderCatalogMarkdown, type Catalog } from '../../src/toolkit';
import { referenceModel } from '../../src/reference';
import { catalog as libraryCatalog } from '../fixtures/library-model';

/* Generated catalog tables say which stream consumer also calls a pattern. */
it('marks the reference model pattern its consumer calls, in both the full and the summary table', () => {
  for (const detail of ['full', 'summary'] as const) {
    const lines = renderCatalogMarkdown(referenceModel.catalog, { detail }).split('\n');
    expect(lines.filter((l) => l.includes('stream: '))).toEqual([expect.stringMatching(/^\| `updateUserProfile` \| write, stream: membership-names \|/)]);
  }
});

it('marks a second model without breaking its table on a hostile consumer name', () => {
  const catalog: Catalog = [
    ...libraryCatalog,
    { name: 'tallyLoan', kind: 'write', description: 'Counts loans.', entities: ['member'], requests: [{ operation: 'UpdateItem', index: 'table', key: 'part = memberId' }], trigger: { stream: 'loan|log' } },
  ];
  const lines = renderCatalogMarkdown(catalog).split('\n');
  const row = lines.find((l) => l.startsWith('| `tallyLoan`')) as string;
  expect(row).toContain('| write, stream: loan\\|log |');
  // Same number of unescaped cell separators as the header: the name did not add a column.
  const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
  expect(cells(row)).toBe(cells(lines[0] as string));
  expect(lines.filter((l) => l.includes('stream:'))).toHaveLength(1);
});
