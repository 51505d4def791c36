import { ApiProperty } from '@nestjs/swagger';

export class PostalCodeCommuneDto {
  @ApiProperty({ example: '01272', description: 'INSEE code of a current commune: what the form sends as communeCode' })
  communeCode: string;

  @ApiProperty({ example: 'Neuville-les-Dames' }) name: string;
  @ApiProperty({ example: '01' }) departement: string;
  @ApiProperty({ example: 1638, description: 'Municipal population (geographic code)' }) population: number;
}

export class PostalCodeCommunesDto {
  @ApiProperty({ example: '01400' }) postalCode: string;

  @ApiProperty({
    type: [PostalCodeCommuneDto],
    description:
      'The default first, then most populous first: those La Poste lists for the code, then those only the geographic code lists',
  })
  communes: PostalCodeCommuneDto[];

  @ApiProperty({ example: '01093', description: 'The commune a form without communeCode is given (the most populous La Poste lists)' })
  defaultCommuneCode: string;
}
