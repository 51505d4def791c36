import { Controller, Get, Param, PipeTransform, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { communesOfPostalCode, POSTAL_CODE_PATTERN } from '@walt/territory';
import { Public } from '../auth/auth.decorators';
import { notFound, validationError } from '../common/api-error';
import { PostalCodeCommunesDto } from './dto/postal-code.dto';

const postalCodePipe: PipeTransform<string, string> = {
  transform(value) {
    if (!POSTAL_CODE_PATTERN.test(value)) throw validationError([{ field: 'postalCode', message: 'must be a 5-digit postal code' }]);
    return value;
  },
};

/** The communes of a postal code, for the form and the chatbot to offer when it serves several. */
@ApiTags('intake')
@Public()
@UseGuards(ThrottlerGuard)
@Controller('v1/intake/postal-codes')
export class PostalCodesController {
  @Get(':postalCode')
  @ApiOperation({ summary: 'The communes a postal code serves, and the one chosen when the form names none' })
  @ApiOkResponse({ type: PostalCodeCommunesDto })
  @ApiBadRequestResponse({ description: 'ValidationError: not a 5-digit postal code' })
  @ApiNotFoundResponse({ description: 'NotFound: a postal code neither La Poste nor the geographic code knows' })
  @ApiTooManyRequestsResponse({ description: 'Rate limit of the public intake' })
  communes(@Param('postalCode', postalCodePipe) postalCode: string): PostalCodeCommunesDto {
    const communes = communesOfPostalCode(postalCode);
    if (!communes.length) throw notFound(`Postal code ${postalCode}`);
    return {
      postalCode,
      communes: communes.map(({ code, name, departement, population }) => ({ communeCode: code, name, departement, population })),
      defaultCommuneCode: communes[0].code,
    };
  }
}
