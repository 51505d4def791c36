import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@walt/domain';
import { ApiError } from '../common/api-error';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { jwtSecret, verifyToken } from '@walt/auth';

/** Global: every route needs a valid token unless marked @Public(), and one of its @Roles(). */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly secret = jwtSecret();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new ApiError(HttpStatus.UNAUTHORIZED, 'A bearer token is required (Authorization: Bearer <JWT>).');
    const principal = verifyToken(token, this.secret);
    if (!principal) throw new ApiError(HttpStatus.UNAUTHORIZED, 'The bearer token is invalid or expired.');
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ApiError(HttpStatus.FORBIDDEN, `The ${principal.role} role cannot use this route (allowed: ${roles.join(', ')}).`);
    }
    return true;
  }
}
