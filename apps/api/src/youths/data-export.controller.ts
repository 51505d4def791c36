import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@walt/auth';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { LogsAccess } from '../audit/access-log.decorator';
import { caseIdPipe } from '../cases/case-id.pipe';
import { DataExportService, exportHtml } from './data-export.service';

@ApiTags('data protection')
@ApiBearerAuth()
@Roles('counsellor', 'admin')
@Controller('v1/youths')
export class DataExportController {
  constructor(private readonly exports: DataExportService) {}

  @Get(':caseId/export')
  @ApiOperation({
    summary: 'Everything held about the young person of this case (right of access): JSON, or a readable page with Accept: text/html',
  })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ description: 'profile, consentHistory, cases (with referrals, check-ins, timeline), messages (with their text), chat' })
  @ApiNotFoundResponse({ description: 'Unknown case, or outside the counsellor’s territories' })
  @LogsAccess('EXPORT')
  async export(
    @Param('caseId', caseIdPipe) caseId: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const data = await this.exports.export(caseId, principal);
    if (!accept?.includes('text/html')) return data;
    response.type('text/html; charset=utf-8');
    return exportHtml(data);
  }
}
