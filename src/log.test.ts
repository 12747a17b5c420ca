import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logger redaction', () => {
  it('never writes tokens, grant codes, secrets or auth headers', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    log.info(
      {
        access_token: 'AT-123',
        body: { refresh_token: 'RT-456', code: 'GC-789', client_secret: 'CS-000' },
        req: { headers: { authorization: 'Zoho-oauthtoken AT-123', cookie: 'sid=abc' } },
      },
      'token exchange',
    );
    const out = lines.join('');
    for (const secret of ['AT-123', 'RT-456', 'GC-789', 'CS-000', 'sid=abc'])
      expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
    expect(out).toContain('token exchange');
  });
});

describe('request URL redaction', () => {
  it('drops the grant code and state of an OAuth callback from request logs', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    log.info(
      { req: { method: 'GET', url: '/cb?state=S-1&code=1000.abc.def&location=eu' } },
      'incoming request',
    );
    const out = lines.join('');
    expect(out).not.toContain('S-1');
    expect(out).not.toContain('1000.abc.def');
    expect(out).toContain('location=eu');
  });
});
