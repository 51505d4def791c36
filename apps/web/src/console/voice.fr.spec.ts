import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_MESSAGES, knownFrenchMessage } from '../public/api-messages.fr';

/**
 * Professionals are addressed with "vous" (PRODUCT.md, Voice): no "tu" in what the console, the
 * shared components and the partner's signed-link page say. The young person's pages keep "tu".
 */
const TU = /(?<!\p{L})(tu|toi|ton|ta|tes|te|t['’]|vérifie|choisis|indique|coche|donne|réessaie|réponds|remplis|écris)(?!\p{L})/iu;

const WEB = join(__dirname, '..');
const sources = (dir: string): string[] =>
  readdirSync(join(WEB, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.(spec|test)\.ts$/.test(entry.name) ? [path] : [];
  });

/** The French a file shows: its string literals and JSX text (comments and code left out). */
function frenchOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const literals = [...code.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`([^`]*)`/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  const jsxText = [...code.matchAll(/>([^<>{}]*\p{L}[^<>{}]*)</gu)].map((m) => m[1]);
  return [...literals, ...jsxText].filter((s) => /\p{L}{2}/u.test(s));
}

describe('the console says "vous"', () => {
  const files = [...sources('console'), ...sources('shared'), 'public/PartnerLink.tsx'];

  it.each(files)('%s', (file) => {
    const tu = frenchOf(readFileSync(join(WEB, file), 'utf8')).filter((s) => TU.test(s));
    expect(tu).toEqual([]);
  });

  it('the API messages in the "vous" voice, the "tu" voice kept for the young person', () => {
    const vous = API_MESSAGES.map(([, tu, v]) => v ?? tu);
    expect(vous.filter((s) => TU.test(s))).toEqual([]);
    expect(knownFrenchMessage('is not a commune of postal code 75011')).toBe('Choisis ta commune dans la liste.');
    expect(knownFrenchMessage('is not a commune of postal code 75011', 'vous')).toBe('Choisissez la commune dans la liste.');
  });

  it('the check finds "tu" where it is', () => {
    expect(frenchOf(`const a = 'Vérifie ta connexion.'; <p>Tu peux fermer</p>`).filter((s) => TU.test(s))).toHaveLength(2);
    expect(frenchOf(`const a = 'Vérifiez votre connexion.'; <p>Vous pouvez fermer</p>`).filter((s) => TU.test(s))).toHaveLength(0);
    // The young person's form, which keeps "tu", is found out by the same check.
    expect(frenchOf(readFileSync(join(WEB, 'public/IntakeForm.tsx'), 'utf8')).filter((s) => TU.test(s)).length).toBeGreaterThan(10);
  });
});
