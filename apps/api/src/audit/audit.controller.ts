import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessLogRepository } from '@walt/persistence';
import { Roles } from '../auth/auth.decorators';
import { validationError } from '../common/api-error';
import { AccessLogPage, AccessLogQuery } from './dto/access-log.query';

@ApiTags('data protection')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly accessLog: AccessLogRepository) {}

  @Get('access')
  @ApiOperation({ summary: 'Who read whose personal data, when and from where; newest first' })
  @ApiOkResponse({ type: AccessLogPage })
  @ApiBadRequestResponse({ description: 'ValidationError naming the filter' })
  async access(@Query() query: AccessLogQuery): Promise<AccessLogPage> {
    if (query.from && query.to && query.from >= query.to) throw validationError([{ field: 'to', message: 'must be after from' }]);
    const { items, total } = await this.accessLog.search(query);
    return { items, total, page: query.page, pageSize: query.pageSize };
  }
}
