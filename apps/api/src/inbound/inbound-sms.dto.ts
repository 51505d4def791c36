import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class InboundSmsDto {
  @ApiProperty({ example: '+33612345678', description: "The sender's number" })
  @IsString()
  @MinLength(6)
  @MaxLength(32)
  from: string;

  @ApiProperty({ example: 'STOP' })
  @IsString()
  @MaxLength(2000)
  text: string;
}

export class InboundSmsResultDto {
  @ApiProperty({
    enum: ['OPT_OUT', 'REPLY', 'IGNORED'],
    description: 'OPT_OUT: no more SMS to this number; REPLY: passed to the journey; IGNORED: no open case for this number',
  })
  action: 'OPT_OUT' | 'REPLY' | 'IGNORED';
}
