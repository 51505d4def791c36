import { Controller, Delete, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators';
import { actorOf, Principal } from '@walt/auth';
import { caseIdPipe } from '../cases/case-id.pipe';
import { CaseViewDto } from '../cases/dto/case-view.dto';
import { ErasureService } from './erasure.service';

@ApiTags('administration')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/youths')
export class ErasureController {
  constructor(private readonly erasure: ErasureService) {}

  @Delete(':caseId/personal-data')
  @ApiOperation({ summary: 'Erase the identity of the young person of this case; events and statistics are kept' })
  @ApiOkResponse({ type: CaseViewDto, description: 'The case, without identity (erasing twice is harmless)' })
  @ApiNotFoundResponse({ description: 'No such case' })
  erase(@Param('caseId', caseIdPipe) caseId: string, @CurrentPrincipal() principal: Principal) {
    return this.erasure.erase(caseId, actorOf(principal));
  }
}
