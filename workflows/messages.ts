/**
 * Every signal, update and query of the journey, defined once; imported by the workflows and
 * by the API, so both sides agree on names and payload types.
 */
import { defineQuery } from '@temporalio/workflow';
import type { JourneyState } from '../libs/domain/src/journey';

export const stateQuery = defineQuery<JourneyState>('state');
