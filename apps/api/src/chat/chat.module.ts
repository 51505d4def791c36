import { Module } from '@nestjs/common';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';

/** The chatbot intake; its rate limits are the public intake's (IntakeModule's ThrottlerModule, global). */
@Module({
  controllers: [ChatController],
  providers: [ChatService],
})
export class ChatModule {}
