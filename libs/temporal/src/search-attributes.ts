import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Keyword search attributes, registered by infra/lib.sh (start_temporal) and the test servers. Never personal data. */
export const JOURNEY_STAGE = defineSearchAttributeKey('JourneyStage', SearchAttributeType.KEYWORD);
export const SEGMENT = defineSearchAttributeKey('Segment', SearchAttributeType.KEYWORD);
export const DEPARTEMENT = defineSearchAttributeKey('Departement', SearchAttributeType.KEYWORD);
