import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody } from './api-error';

/**
 * The deepest JSON body accepted. No body of the contract nests more than a few levels; a body
 * nested thousands of levels deep parses, then overflows the stack of the recursive transform and
 * validation that follow (a 500 found by the fuzzer), so it is refused before parsing.
 */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of a JSON text, counted over its bytes (strings skipped), without parsing. */
export function jsonDepth(bytes: Buffer): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return deepest;
}

/** Thrown from the JSON parser's verify hook: body-parser hands it on with its status (400). */
export function refuseDeepJson(bytes: Buffer): void {
  if (jsonDepth(bytes) > MAX_JSON_DEPTH) {
    throw Object.assign(new Error(`The body nests deeper than ${MAX_JSON_DEPTH} levels.`), { status: 400, type: 'entity.too.deep' });
  }
}

/**
 * Requests Node's HTTP parser cannot read (a Content-Length that disagrees with the body, bad
 * framing, headers too large) are answered by Node itself with a bare 400; this answers them in
 * the error shape of API.md instead, like every other refusal.
 */
export function answerUnreadableRequests(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET' && !socket.bytesWritten)) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body: ErrorBody = {
      error: 'ValidationError',
      message: tooLarge ? 'The request headers are too large.' : 'The request could not be read as HTTP.',
      details: [{ field: tooLarge ? 'headers' : 'request', message: err.code ?? err.message }],
    };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  });
}
