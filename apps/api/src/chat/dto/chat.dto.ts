import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

export const CHAT_TEXT_MAX_LENGTH = 1000;

/** `POST /v1/intake/chat/messages`. */
export class ChatMessageDto {
  @ApiProperty({ format: 'uuid', description: 'Client-generated, one per conversation (kept by the page across reloads).' })
  @IsUUID('all', { message: 'must be a UUID' })
  conversationId: string;

  @ApiProperty({ maxLength: CHAT_TEXT_MAX_LENGTH, description: 'What the young person typed, or the value of a quick reply' })
  @IsString({ message: 'must be text' })
  @MaxLength(CHAT_TEXT_MAX_LENGTH, { message: `must be at most ${CHAT_TEXT_MAX_LENGTH} characters` })
  text: string;

  @ApiPropertyOptional({
    maxLength: 100,
    example: 'rentree-2026',
    description: 'The campaign that brought them (source.campaign), on the first message',
  })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @Matches(/^[A-Za-z0-9_.-]{1,100}$/, { message: 'must be a campaign code: letters, digits, - _ . (at most 100)' })
  campaign?: string;
}

export class QuickReplyDto {
  @ApiProperty({ example: 'CAP ou BEP' }) label: string;
  @ApiProperty({ example: 'cap', description: 'What to send as `text` when the young person picks it' }) value: string;
}

export class ChatReplyDto {
  @ApiProperty({ description: 'The bot’s answer, in French' }) reply: string;
  @ApiProperty({ type: [QuickReplyDto] }) quickReplies: QuickReplyDto[];
  @ApiProperty({ description: 'The conversation is over: the case exists, or the young person stopped it' }) done: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) caseId?: string;
  @ApiProperty({ example: 'ASK', description: 'What the reply does (ASK, FAQ, UNUSABLE, HELP, CORRECTED, RECAP, SUBMITTED…)' })
  intent: string;
  @ApiPropertyOptional({ example: 'FIRST_NAME', description: 'The field acknowledged, the reason, the FAQ id…' }) detail?: string;
  @ApiPropertyOptional({ example: 'BIRTH_DATE', description: 'The question the reply asks, if any', nullable: true })
  question: string | null;
  @ApiProperty({ example: 1, description: 'The turn of the conversation this reply answers' }) turn: number;
}

export class ChatTranscriptMessageDto {
  @ApiProperty({ enum: ['bot', 'youth'] }) from: 'bot' | 'youth';
  @ApiProperty() text: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiPropertyOptional({ type: [QuickReplyDto], description: 'On the last bot message: the choices still offered' })
  quickReplies?: QuickReplyDto[];
}

export class ChatTranscriptDto {
  @ApiProperty({ type: [ChatTranscriptMessageDto] }) messages: ChatTranscriptMessageDto[];
  @ApiProperty() done: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) caseId?: string;
}
