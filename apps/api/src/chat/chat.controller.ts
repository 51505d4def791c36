import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '../auth/auth.decorators';
import { validationError } from '../common/api-error';
import { ChatService } from './chat.service';
import { ChatMessageDto, ChatReplyDto, ChatTranscriptDto } from './dto/chat.dto';

const conversationIdPipe = new ParseUUIDPipe({
  exceptionFactory: () => validationError([{ field: 'conversationId', message: 'must be a UUID' }]),
});

/** The chatbot intake (API.md "Public intake"): public, rate limited per client and per conversation. */
@ApiTags('intake')
@Public()
@UseGuards(ThrottlerGuard)
@Controller('v1/intake/chat')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Post('messages')
  @HttpCode(200)
  @ApiOperation({ summary: 'A message of the young person: the bot answers (the first message starts the conversation)' })
  @ApiOkResponse({ type: ChatReplyDto })
  @ApiBadRequestResponse({ description: 'ValidationError: conversationId not a UUID, text missing or over 1,000 characters' })
  @ApiTooManyRequestsResponse({ description: 'Rate limit per client, or per conversation' })
  @ApiServiceUnavailableResponse({ description: 'The conversation could not be reached; nothing was kept of the message' })
  send(@Body() dto: ChatMessageDto): Promise<ChatReplyDto> {
    return this.chat.send(dto);
  }

  @Get(':conversationId')
  @ApiOperation({ summary: 'The transcript so far, for a page reload' })
  @ApiOkResponse({ type: ChatTranscriptDto })
  @ApiNotFoundResponse({ description: 'No such conversation (or nothing left of it)' })
  transcript(@Param('conversationId', conversationIdPipe) conversationId: string): Promise<ChatTranscriptDto> {
    return this.chat.transcriptOf(conversationId);
  }

  @Delete(':conversationId')
  @HttpCode(204)
  @ApiOperation({ summary: 'The young person ends the conversation: its draft and transcript are deleted' })
  @ApiNoContentResponse({ description: 'Ended and deleted' })
  @ApiNotFoundResponse({ description: 'No such conversation' })
  async end(@Param('conversationId', conversationIdPipe) conversationId: string): Promise<void> {
    await this.chat.end(conversationId);
  }
}
