import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { validationError } from '../common/api-error';
import { CreatePartnerDto, ImportResultDto, ListPartnersQuery, PartnerDto, PartnerListDto, UpdatePartnerDto } from './dto/partner.dto';
import { IMPORT_MAX_BYTES } from './import-body';
import { PartnersService } from './partners.service';

/** The part of multer's file we use (multer's types are not a dependency). */
interface UploadedCsv {
  buffer: Buffer;
}

@ApiTags('partners')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get()
  @ApiOperation({ summary: 'The partner directory, filtered and paged' })
  @ApiOkResponse({ type: PartnerListDto })
  list(@Query() query: ListPartnersQuery): Promise<PartnerListDto> {
    return this.partners.list(query);
  }

  // Declared before ':id' routes so that "import" is never read as an id.
  @Post('import')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1 } }))
  @ApiOperation({
    summary: 'Import a CSV directory (columns of infra/seed/partners.csv): creates or updates every partner of the file',
    description: 'All or nothing: any error and nothing changes; each error names its line (header = 1) and column.',
  })
  @ApiConsumes('text/csv', 'multipart/form-data')
  @ApiBody({
    schema: { type: 'string', description: 'text/csv: the file itself; multipart/form-data: the file in a `file` field' },
  })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiBadRequestResponse({ description: 'ValidationError; each detail has field "line 12, column maxAge", message, line and column' })
  import(@UploadedFile() file: UploadedCsv | undefined, @Body() body: unknown): Promise<ImportResultDto> {
    const csv = file ? file.buffer.toString('utf8') : typeof body === 'string' ? body : null;
    if (csv === null) {
      throw validationError([{ field: 'body', message: 'send the CSV as text/csv, or as multipart/form-data in a `file` field' }]);
    }
    return this.partners.import(csv);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One partner' })
  @ApiOkResponse({ type: PartnerDto })
  @ApiNotFoundResponse({ description: 'No partner with this id' })
  get(@Param('id') id: string): Promise<PartnerDto> {
    return this.partners.get(id);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Add a partner; criteria left out take the defaults of the partner's type" })
  @ApiCreatedResponse({ type: PartnerDto })
  @ApiBadRequestResponse({ description: 'ValidationError, one detail per field' })
  @ApiConflictResponse({ description: 'A partner with this id exists' })
  create(@Body() body: CreatePartnerDto): Promise<PartnerDto> {
    return this.partners.create(body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change some fields of a partner; referralExpiresAfter: null removes the override' })
  @ApiOkResponse({ type: PartnerDto })
  @ApiBadRequestResponse({ description: 'ValidationError, one detail per field' })
  @ApiNotFoundResponse({ description: 'No partner with this id' })
  update(@Param('id') id: string, @Body() body: UpdatePartnerDto): Promise<PartnerDto> {
    return this.partners.update(id, body);
  }
}
