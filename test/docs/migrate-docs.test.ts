import { GENERATED } from '../../scripts/generate-docs';
import { DEMO_COMMANDS, DEMO_USERS, migrateDocsDemo } from '../../scripts/migrate-docs-demo';

// The blocks of docs/migrations.md sections 3 and 4, rendered by the generator's own entries.
const render = (marker: string) => {
  const entry = GENERATED.find((g) => g.file === 'docs/migrations.md' && g.marker === marker);
  if (!entry) throw new Error(`no generated block ${marker} in docs/migrations.md`);
  return entry.render();
};
const users = DEMO_USERS.length;
// A table row of the CLI's box drawing: the cells, trimmed.
const row = (text: string, first: string) => {
  const line = text.split('\n').find((l) => l.startsWith('│') && l.split('│')[1]?.trim() === first);
  return line?.split('│').slice(1, -1).map((c) => c.trim());
};

describe('docs/migrations.md: generated migrate plan and migrate run', () => {
  it('the dry-run plan rewrites exactly the seeded old-layout users, only their status sort key, and writes nothing', () => {
    const plan = render('migrate-plan');
    expect(plan).toContain(`$ single-table-kit ${DEMO_COMMANDS[0]?.join(' ')}\n`);
    expect(plan).toContain(`│ 1 │ rewrite user (${users} items) │`);
    expect(plan).not.toMatch(/│ 2 │/);
    expect(row(plan, 'user')).toEqual(['user', String(users), String(users)]);
    expect(row(plan, 'emailClaim')).toEqual(['emailClaim', String(users), '0']);

    // Samples: the users as the old model wrote them (createdAt alone), and after, with the userId.
    const samples = plan.slice(plan.indexOf('Dry run: sample items before and after:'), plan.indexOf('Table checksum'));
    const changes = [...samples.matchAll(/^user \{"pk":"\$app#userId_([^"]+)",.*\n {2}(\w+): "([^"]*)" -> "([^"]*)"$/gm)];
    expect(changes.length).toBeGreaterThan(0);
    expect(samples.split('\n').filter((l) => l.startsWith('  ')).length).toBe(changes.length);
    for (const [, userId, field, before, after] of changes) {
      const seeded = DEMO_USERS.find((u) => u.userId === userId);
      expect(seeded).toBeDefined();
      expect(field).toBe('gsi3sk');
      expect(before).toBe(`$user_1#createdAt_${seeded?.createdAt}`);
      expect(after).toBe(`$user_1#createdAt_${seeded?.createdAt}#userId_${userId}`);
    }

    const checksum = /Table checksum before ([0-9a-f]{16}) \((\d+) items\), after ([0-9a-f]{16}): (.*)$/m.exec(plan);
    expect(checksum).not.toBeNull();
    expect(checksum?.[1]).toBe(checksum?.[3]);
    expect(Number(checksum?.[2])).toBe(2 * users); // each user and its email claim
    expect(checksum?.[4]).toBe('unchanged, nothing written');
  }, 120_000);

  it('the run rewrites the same users and verifies; the same command again resumes with everything done', () => {
    const text = render('migrate-run');
    const [first, second] = text.split(/^\$ /m).slice(1);
    expect(`$ ${first}`).toContain(`$ single-table-kit ${DEMO_COMMANDS[1]?.join(' ')}\n`);
    expect(first).toMatch(/^ {2}1\. rewrite: done$/m);
    expect(first).toContain(`Scanned ${2 * users}, rewritten ${users} (moved 0), unchanged ${users}; 0 re-read after a concurrent write`);
    expect(row(first ?? '', 'user')).toEqual(['user', String(users), String(users)]);
    expect(row(first ?? '', 'index gsi3')).toEqual(['index gsi3', String(users), String(users)]);
    expect(first).toMatch(/^Verification: ok$/m);
    // Nothing moves, so the plan's read and write estimates are what the run consumed.
    const estimate = /^Estimate: (\d+) RCU to read .*?, (\d+) WCU to write/m.exec(render('migrate-plan'));
    const consumed = /consumed (\d+) RCU, (\d+) WCU$/m.exec(first ?? '');
    expect(estimate).not.toBeNull();
    expect(consumed?.slice(1)).toEqual(estimate?.slice(1));

    expect(DEMO_COMMANDS[2]).toEqual(DEMO_COMMANDS[1]);
    expect(second).toMatch(/^Migration of users-demo \(resumed from its checkpoint\), 1 segment$/m);
    expect(second).toMatch(/^ {2}1\. rewrite: done before \(resumed\)$/m);
    expect(second).toMatch(/consumed \d+ RCU, 0 WCU$/m);
    expect(second).toMatch(/^Verification: ok\n/m);
  }, 120_000);

  it('the blocks are the commands\' output as printed, and a second run prints the same bytes (nothing needs masking)', () => {
    const outputs = migrateDocsDemo();
    expect(outputs.map((o) => o.command)).toEqual(DEMO_COMMANDS.map((args) => `single-table-kit ${args.join(' ')}`));
    expect(render('migrate-plan')).toBe(`\n\`\`\`text\n$ ${outputs[0]?.command}\n${outputs[0]?.stdout.trimEnd()}\n\`\`\`\n`);
    expect(render('migrate-run')).toBe(`\n\`\`\`text\n$ ${outputs[1]?.command}\n${outputs[1]?.stdout.trimEnd()}\n\n$ ${outputs[2]?.command}\n${outputs[2]?.stdout.trimEnd()}\n\`\`\`\n`);
    // A fresh engine, table and checkpoint: the same output, so `npm run docs:check` cannot flap.
    expect(migrateDocsDemo({ fresh: true })).toEqual(outputs);
  }, 120_000);
});
