import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  BARRIERS,
  CHECK_IN_STATUSES,
  CLOSURE_REASONS,
  DIPLOMA_LEVELS,
  JOURNEY_EVENT_TYPES,
  type JourneyEventPayloads,
  type JourneyEventType,
  MESSAGE_CHANNELS,
  OUTCOMES,
  SEGMENTS,
  SITUATIONS,
  SOURCE_CHANNELS,
  STAGES,
  WISHES,
} from '@walt/domain';
import { MESSAGE_STATUSES, REFERRAL_STATUSES } from '@walt/persistence';

/* OpenAPI description of what case-view.ts answers; the code there is the reference. */

class ClosureView {
  @ApiProperty({ enum: CLOSURE_REASONS }) reason: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) outcome?: string;
}

class ConsentView {
  @ApiProperty() dataProcessing: boolean;
  @ApiProperty() shareWithPartners: boolean;
  @ApiProperty({ enum: MESSAGE_CHANNELS, isArray: true }) channels: string[];
}

class SourceView {
  @ApiProperty({ enum: SOURCE_CHANNELS }) channel: string;
  @ApiPropertyOptional() campaign?: string;
}

class ProfileView {
  @ApiProperty({ nullable: true, type: String, description: 'null once erased' }) firstName: string | null;
  @ApiProperty({ nullable: true, type: String }) lastName: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) birthDate: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'E.164' }) phone: string | null;
  @ApiProperty() postalCode: string;
  @ApiProperty() communeCode: string;
  @ApiProperty() departement: string;
  @ApiProperty({ enum: DIPLOMA_LEVELS }) diplomaLevel: string;
  @ApiProperty({ enum: SITUATIONS }) situation: string;
  @ApiProperty({ enum: BARRIERS, isArray: true }) barriers: string[];
  @ApiProperty({ enum: WISHES, isArray: true }) wishes: string[];
  @ApiProperty({ type: ConsentView }) consent: ConsentView;
  @ApiProperty({ type: SourceView }) source: SourceView;
}

class ReferralView {
  @ApiProperty({ format: 'uuid' }) referralId: string;
  @ApiProperty() partnerId: string;
  @ApiProperty({ nullable: true, type: String }) partnerName: string | null;
  @ApiProperty({ description: '1 for the first partner asked' }) attempt: number;
  @ApiProperty({ enum: REFERRAL_STATUSES }) status: string;
  @ApiPropertyOptional({ description: 'Decline reason, or EXPIRED' }) reason?: string;
  @ApiPropertyOptional() comment?: string;
  @ApiProperty({ format: 'date-time' }) sentAt: string;
  @ApiProperty({ format: 'date-time', description: 'Expires (next partner) if unanswered by then' }) dueAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) decidedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) appointmentAt?: string;
  @ApiPropertyOptional() attended?: boolean;
  @ApiPropertyOptional({ enum: OUTCOMES }) outcome?: string;
}

class CheckInView {
  @ApiProperty() seq: number;
  @ApiProperty({ format: 'date-time' }) dueAt: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When it was recorded' }) at?: string;
  @ApiPropertyOptional({ enum: CHECK_IN_STATUSES }) status?: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) outcome?: string;
  @ApiPropertyOptional() note?: string;
}

class MessageView {
  @ApiProperty({ example: 'WELCOME' }) purpose: string;
  @ApiProperty({ example: 'SMS' }) channel: string;
  @ApiProperty({ enum: ['YOUTH', 'PARTNER', 'COUNSELLOR'] }) recipient: string;
  @ApiProperty({ enum: MESSAGE_STATUSES }) status: string;
  @ApiProperty({ format: 'date-time', description: 'Sent at, or scheduled at while not sent' }) at: string;
}

export class CaseViewDto {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: STAGES }) stage: string;
  @ApiProperty({ format: 'date-time' }) stageEnteredAt: string;
  @ApiProperty({ enum: SEGMENTS }) segment: string;
  @ApiProperty({ description: 'In the 16-25 scope at capture' }) eligible: boolean;
  @ApiPropertyOptional({ type: ClosureView }) closure?: ClosureView;
  @ApiProperty() policyVersion: number;
  @ApiProperty({ nullable: true, type: String }) counsellorId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Partner of the current or accepted referral' }) partnerId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nextActionAt: string | null;
  @ApiProperty({ type: ProfileView }) profile: ProfileView;
  @ApiProperty({ type: [ReferralView], description: 'By attempt' }) referrals: ReferralView[];
  @ApiProperty({ type: [CheckInView], description: 'By sequence' }) checkIns: CheckInView[];
  @ApiProperty({ type: [MessageView], description: 'Oldest first' }) messages: MessageView[];
}

/** One event of the timeline: `data` is the payload of its `type` (JourneyEventPayloads in libs/domain). */
export class TimelineEntryDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: JOURNEY_EVENT_TYPES, example: 'STAGE_CHANGED' }) type: JourneyEventType;
  @ApiProperty({ example: 'counsellor:c-42', description: 'system, youth, intake, counsellor:<sub>, partner:<id>' }) actor: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The facts of the event: ids, codes and times, never personal data',
  })
  data: JourneyEventPayloads[JourneyEventType];
  @ApiPropertyOptional({ description: 'Text of the note the step refers to (data.noteId)' }) note?: string;
}
