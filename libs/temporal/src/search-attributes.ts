import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const JOURNEY_STAGE = defineSearchAttributeKey('JourneyStage', SearchAttributeType.KEYWORD);
export const SEGMENT = defineSearchAttributeKey('Segment', SearchAttributeType.KEYWORD);
export const DEPARTEMENT = defineSearchAttributeKey('Departement', SearchAttributeType.KEYWORD);
