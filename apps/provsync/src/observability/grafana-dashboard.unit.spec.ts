import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ProvsyncMetrics } from './provsync-metrics.js';

function repoRoot(): string {
  let root = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(root, 'package.json'))) root = dirname(root);
  return root;
}

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
}

describe('the sample Grafana dashboard (docs/grafana/provsync-dashboard.json)', () => {
  const dashboard = JSON.parse(readFileSync(join(repoRoot(), 'docs/grafana/provsync-dashboard.json'), 'utf8')) as { panels: Panel[] };
  const families = new Map(
    new ProvsyncMetrics().registry.getMetricsAsArray().map((m) => [m.name, (m as unknown as { labelNames: string[] }).labelNames]),
  );
  const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

  it('queries only metrics provsync exposes, by labels they have', () => {
    for (const { panel, expr } of queries) {
      const used = [...expr.matchAll(/\b(provsync_[a-z_]+?)(_bucket|_sum|_count)?\b/g)].map((m) => m[1]!);
      for (const name of used) assert.ok(families.has(name), `${panel}: ${name} is not a provsync metric`);
      const labels = [
        ...[...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim())),
        ...[...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/(\w+)\s*(=~|!~|!=|=)/g)].map((l) => l[1]!)),
      ];
      const known = new Set(['instance', 'le', ...used.flatMap((name) => families.get(name) ?? [])]);
      for (const label of labels) assert.ok(used.length === 0 || known.has(label), `${panel}: label ${label} is not on ${used.join(', ')}`);
    }
  });

  it('shows every provsync metric in some panel', () => {
    const shown = new Set(queries.flatMap(({ expr }) => [...expr.matchAll(/\b(provsync_[a-z_]+?)(_bucket|_sum|_count)?\b/g)].map((m) => m[1]!)));
    for (const name of families.keys()) if (name.startsWith('provsync_')) assert.ok(shown.has(name), `${name} has no panel`);
  });
});
