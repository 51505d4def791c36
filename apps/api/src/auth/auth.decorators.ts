import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@walt/domain';
import type { Principal } from '@walt/auth';

export const PUBLIC_KEY = 'walt:public';
export const ROLES_KEY = 'walt:roles';

/** No token needed (intake, health, signed partner links). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);
