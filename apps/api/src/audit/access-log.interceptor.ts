import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '@walt/auth';
import { actorOf } from '@walt/auth';
import { AccessLogRepository } from '@walt/persistence';
import { mergeMap, Observable } from 'rxjs';
import { ACCESS_LOG_KEY, AccessLogRule } from './access-log.decorator';

/** Global: routes marked @LogsAccess() append to the access log once they have answered successfully. */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly accessLog: AccessLogRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rule = this.reflector.get<AccessLogRule | undefined>(ACCESS_LOG_KEY, context.getHandler());
    if (!rule) return next.handle();
    const request = context.switchToHttp().getRequest();
    return next.handle().pipe(
      mergeMap(async (body) => {
        const caseIds = rule.casesOf ? rule.casesOf(body, request.params) : [request.params.caseId];
        const principal: Principal | undefined = request.principal;
        // A signed partner link has no principal: the link names one referral, and so the actor.
        const actor = principal ? actorOf(principal) : `partner-link:${body?.referralId ?? 'unknown'}`;
        await this.accessLog.record(
          [...new Set(caseIds.filter(Boolean))].map((caseId) => ({
            actor,
            role: principal?.role ?? 'partner',
            caseId,
            what: rule.what,
            ip: request.ip,
            userAgent: request.headers['user-agent'],
          })),
        );
        return body;
      }),
    );
  }
}
