import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { IntakeFormDto, IntakeResultDto } from './dto/intake-form.dto';
import { IntakeService } from './intake.service';

@ApiTags('intake')
@Public()
@UseGuards(ThrottlerGuard)
@Controller('v1/intake')
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Post('forms')
  @HttpCode(201)
  @ApiOperation({ summary: 'Submit the web form: creates a case and starts its journey' })
  @ApiCreatedResponse({ type: IntakeResultDto, description: 'New case (eligible: false when out of the 16-25 scope, closed OUT_OF_SCOPE)' })
  @ApiOkResponse({ type: IntakeResultDto, description: 'Same submissionId, or the same person with an open case: no second journey' })
  @ApiBadRequestResponse({ description: 'ValidationError with one detail per field' })
  @ApiTooManyRequestsResponse({ description: 'Rate limit of the public intake' })
  async submitForm(@Body() form: IntakeFormDto, @Res({ passthrough: true }) res: Response): Promise<IntakeResultDto> {
    const { status, body } = await this.intake.submitForm(form);
    res.status(status);
    return body;
  }
}
