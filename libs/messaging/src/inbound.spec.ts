import { inboundIntent, signInbound, verifyInboundSignature } from './inbound';

describe('inboundIntent', () => {
  it.each(['STOP', 'stop', '  Stop  ', 'STOP.', 'stop!', 'ARRET', 'arrêt', 'Arrêt '])('%p opts out', (text) => {
    expect(inboundIntent(text)).toBe('STOP');
  });

  it.each(['oui', 'stop les sms svp', 'Je veux arrêter', 'STOPPER', '', 'ok stop'])('%p is a reply', (text) => {
    expect(inboundIntent(text)).toBe('REPLY');
  });
});

describe('verifyInboundSignature', () => {
  const secret = 'inbound-secret-0123456789';
  const body = Buffer.from('{"from":"+33612345678","text":"STOP"}');

  it('accepts the HMAC of the raw body, in either case of hex', () => {
    expect(verifyInboundSignature(secret, body, signInbound(secret, body))).toBe(true);
    expect(verifyInboundSignature(secret, body, signInbound(secret, body).toUpperCase())).toBe(true);
  });

  it('rejects another body, another secret, a missing or malformed signature', () => {
    expect(verifyInboundSignature(secret, Buffer.from('{"from":"+33612345678","text":"oui"}'), signInbound(secret, body))).toBe(false);
    expect(verifyInboundSignature(secret, body, signInbound('another-secret-0123', body))).toBe(false);
    expect(verifyInboundSignature(secret, body, undefined)).toBe(false);
    expect(verifyInboundSignature(secret, body, 'abc')).toBe(false);
    expect(verifyInboundSignature('', body, signInbound('', body))).toBe(false);
  });
});
