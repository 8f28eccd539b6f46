import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The README is the front door: short, and every picture and link in it, in CONTRIBUTING.md and
 * in docs/ leads somewhere. Relative links must name a file of the repository, and an anchor a
 * heading of the file it points into (GitHub's heading ids).
 */
const ROOT = resolve(__dirname, '..', '..');
const README_MAX_LINES = 200;
const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  'bench/README.md',
  'deploy/k8s/README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks and inline code, where links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Targets of `[text](target)` and `![alt](target)`, with an optional "title". */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const match of prose(markdown).matchAll(
    /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
  ))
    targets.push(match[1]);
  return targets;
}

/** GitHub's id for each heading: lower case, punctuation dropped, spaces to hyphens, -1 for repeats. */
export function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const match of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = match[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    ids.add(count === 0 ? base : `${base}-${count}`);
  }
  return ids;
}

/** What is wrong with each relative link of one document: a missing file or heading. */
export function brokenLinks(file: string, read: (path: string) => string | undefined): string[] {
  const problems: string[] = [];
  const text = read(file) ?? '';
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    const [path, anchor] = target.split('#', 2) as [string, string | undefined];
    const into = path === '' ? file : join(dirname(file), decodeURIComponent(path));
    const content = path === '' ? text : read(into);
    if (content === undefined) {
      problems.push(`${file}: ${target}: no such file`);
      continue;
    }
    if (anchor !== undefined && into.endsWith('.md') && !headingIds(content).has(anchor))
      problems.push(`${file}: ${target}: no heading "#${anchor}" in ${into}`);
  }
  return problems;
}

const readRepo = (path: string): string | undefined => {
  const absolute = join(ROOT, path);
  if (!absolute.startsWith(ROOT) || !existsSync(absolute)) return undefined;
  return statSync(absolute).isDirectory() ? '' : readFileSync(absolute, 'utf8');
};

describe('the documentation', () => {
  it(`keeps the README at most ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it.each(DOCUMENTS)('%s: every relative link and image resolves, anchors included', (file) => {
    expect(brokenLinks(file, readRepo)).toEqual([]);
  });

  it('shows the storefront and Swagger UI in the README', () => {
    const images = linkTargets(readFileSync(join(ROOT, 'README.md'), 'utf8')).filter((target) =>
      target.endsWith('.png'),
    );
    expect(images).toEqual(
      expect.arrayContaining([
        'docs/screenshots/swagger-ui.png',
        'docs/screenshots/catalogue-desktop.png',
      ]),
    );
  });

  describe('the link check itself', () => {
    const files: Record<string, string> = {
      'a.md': [
        '# Title',
        '## Rate limits',
        '## Accounts: mail, two-factor sign-in, passkeys',
        '[ok](#rate-limits) [ok](b.md#the-http-edge) ![ok](pic.png) [web](https://example.com)',
        '[bad](#no-such-heading) [bad](missing.md) ![bad](nope.png) [bad](b.md#rate-limits)',
        '`[not a link](nowhere.md)`',
        '```',
        '[not a link either](nowhere.md)',
        '```',
      ].join('\n'),
      'b.md': '# B\n\n## The HTTP edge\n',
      'pic.png': '',
    };
    const read = (path: string) => files[path];

    it('finds links and images outside code, and GitHub heading ids', () => {
      expect(linkTargets(files['a.md'])).toHaveLength(8);
      expect(headingIds(files['a.md'])).toEqual(
        new Set(['title', 'rate-limits', 'accounts-mail-two-factor-sign-in-passkeys']),
      );
    });

    it('reports a missing file, picture or heading, and nothing else', () => {
      expect(brokenLinks('a.md', read)).toEqual([
        'a.md: #no-such-heading: no heading "#no-such-heading" in a.md',
        'a.md: missing.md: no such file',
        'a.md: nope.png: no such file',
        'a.md: b.md#rate-limits: no heading "#rate-limits" in b.md',
      ]);
    });
  });
});
