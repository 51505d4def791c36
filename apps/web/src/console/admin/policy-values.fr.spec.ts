import { durationText, policyValueText } from './policy-values.fr';

describe('policy values in French', () => {
  it.each([
    ['P14D', '14 jours'],
    ['P1D', '1 jour'],
    ['PT24H', '24 heures'],
    ['P1DT12H', '1 jour 12 heures'],
    ['P2Y', '2 ans'],
    ['PT30S', '30 secondes'],
    ['PT0S', 'aussitôt'],
    ['20:00', '20:00'],
    ['P', 'P'],
  ])('%s → %s', (iso, text) => expect(durationText(iso)).toBe(text));

  it('lists, quiet hours, the A/B test, none', () => {
    expect(policyValueText(['PT0S', 'P2D'])).toBe('aussitôt, 2 jours');
    expect(policyValueText({ start: '20:00', end: '09:00' })).toBe('de 20:00 à 09:00');
    expect(policyValueText({ name: 'nudge-wording-1', variants: ['A', 'B'] })).toBe('« nudge-wording-1 », variantes A, B');
    expect(policyValueText(null)).toBe('aucun');
    expect(policyValueText(3)).toBe('3');
  });
});
