/**
 * A/B test of the wording of the nudges (NUDGE_1, NUDGE_2…). Each journey gets its variant from
 * a stable hash of its case id and the experiment's name: reproducible, the same for every nudge
 * of the journey, and nothing personal goes into it. The texts of each variant are templates
 * (libs/messaging); the policy says which variants are live, so a manager retires the losing one
 * by saving a new policy version.
 */
export const NUDGE_VARIANTS = ['A', 'B'] as const;
export type NudgeVariant = (typeof NUDGE_VARIANTS)[number];

export interface NudgeExperiment {
  /** Lowercase letters, digits and dashes; a new name reshuffles the assignment. */
  name: string;
  /** The live variants, at least one: a journey's variant is one of them. */
  variants: NudgeVariant[];
}

export const EXPERIMENT_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** 32-bit FNV-1a: tiny, deterministic in a workflow, evenly spread on uuids. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The variant of this journey, or undefined when no experiment runs. */
export function assignVariant(caseId: string, experiment: NudgeExperiment | null | undefined): NudgeVariant | undefined {
  if (!experiment?.variants.length) return undefined;
  return experiment.variants[fnv1a(`${experiment.name}:${caseId}`) % experiment.variants.length];
}

/** Whether a message purpose is a nudge the experiment words (the welcome is not). */
export const isNudge = (purpose: string): boolean => /^NUDGE_\d+$/.test(purpose);
