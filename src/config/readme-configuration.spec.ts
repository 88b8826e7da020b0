import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingNames, validateEnvironment } from './environment';

/** The rows of the README's configuration table: the variables of each row and their defaults as written. */
function readmeRows(): { names: string[]; defaults: string[] }[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = /^## Configuration\n([\s\S]*?)^## /m.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md has no "## Configuration" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [variables, defaults] = line.split(' | ').map((cell) => cell.replace(/^\| /, ''));
      return { names: variables.split(' / ').map((v) => v.replace(/`/g, '').trim()), defaults: defaults.split(' / ') };
    });
}

describe("the README's configuration table", () => {
  const rows = readmeRows();
  const documented = rows.flatMap((row) => row.names);

  it('names every setting, once', () => {
    expect([...documented].sort()).toEqual([...settingNames()].sort());
  });

  it('shows the development default where it starts with a value (`…`), or — for none', () => {
    const env = validateEnvironment({}) as unknown as Record<string, unknown>;
    let compared = 0;
    for (const { names, defaults } of rows) {
      if (names.length !== defaults.length) continue;
      names.forEach((name, i) => {
        const written = defaults[i].trim();
        const value = /^`([^`]*)`/.exec(written)?.[1];
        if (written === '—') expect([name, env[name]]).toEqual([name, undefined]);
        else if (value !== undefined) expect([name, String(env[name])]).toEqual([name, value]);
        else return;
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(40);
  });
});
