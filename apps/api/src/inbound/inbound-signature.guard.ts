import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { verifyInboundSignature } from '@walt/messaging';
import { ApiError } from '../common/api-error';
import type { RequestWithRawBody } from './raw-body';

/**
 * The SMS provider signs each webhook call: `X-Signature: hex(HMAC-SHA256(SMS_INBOUND_SECRET,
 * rawBody))`. Checked before validation, so an unsigned caller learns nothing about the body.
 */
@Injectable()
export class InboundSignatureGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const secret = process.env.SMS_INBOUND_SECRET;
    if (!secret) throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'Inbound SMS is not configured (SMS_INBOUND_SECRET).');
    const request = context.switchToHttp().getRequest<RequestWithRawBody>();
    const signature = request.headers['x-signature'];
    if (!request.rawBody || !verifyInboundSignature(secret, request.rawBody, Array.isArray(signature) ? signature[0] : signature)) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'The X-Signature header does not match the body.');
    }
    return true;
  }
}
