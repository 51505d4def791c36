import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { User, UsersRepository } from '@walt/persistence';
import { Roles } from '../auth/auth.decorators';
import { conflict, notFound, validationError } from '../common/api-error';
import { CreateUserDto, UpdateUserDto, UsersQuery } from './users.dto';

/** Console users (admin): who may sign in, with which role, territories and structure. */
@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersRepository,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Console users, by role or part of the email' })
  async list(@Query() query: UsersQuery): Promise<{ items: User[]; total: number }> {
    const items = await this.users.list(query);
    return { items, total: items.length };
  }

  @Post()
  @ApiOperation({ summary: 'Add a console user (they sign in by a link sent to their email)' })
  async create(@Body() body: CreateUserDto): Promise<User> {
    await this.checkPartner(body.role, body.partnerId);
    const user = await this.users.create({
      email: body.email.trim(),
      role: body.role,
      territories: body.role === 'counsellor' ? body.territories : undefined,
      partnerId: body.role === 'partner' ? body.partnerId : undefined,
    });
    if (!user) throw conflict(`A user with the email ${body.email} already exists.`);
    return user;
  }

  @Patch(':userId')
  @ApiOperation({ summary: "Change a user's role, territories, structure or active flag (their sessions end)" })
  async update(
    @Param('userId', new ParseUUIDPipe({ exceptionFactory: () => notFound('The user') })) userId: string,
    @Body() body: UpdateUserDto,
  ) {
    const current = await this.users.byId(userId);
    if (!current) throw notFound('The user');
    const role = body.role ?? current.role;
    const partnerId = body.partnerId ?? (role === 'partner' ? current.partnerId : undefined);
    await this.checkPartner(role, partnerId);
    return this.users.update(userId, {
      role: body.role,
      territories: body.territories === undefined ? undefined : body.territories.length ? body.territories : null,
      partnerId: role === 'partner' ? partnerId : null,
      active: body.active,
    });
  }

  private async checkPartner(role: string, partnerId: string | undefined): Promise<void> {
    if (role !== 'partner') return;
    if (!partnerId) throw validationError([{ field: 'partnerId', message: 'is required for the partner role' }]);
    const rows = await this.dataSource.query(`SELECT 1 FROM partners WHERE id = $1`, [partnerId]);
    if (!rows.length) throw validationError([{ field: 'partnerId', message: 'is not a partner of the directory' }]);
  }
}
