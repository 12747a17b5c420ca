import crypto from 'node:crypto';

/**
 * The event API's signature (DESIGN §2.3): `PepoSmart-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<raw body>")>`. Older than 5 minutes, wrong or missing: refused.
 * Several v1 values may be present while the platform rotates its secret.
 */
export const SIGNATURE_HEADER = 'peposmart-signature';
export const SIGNATURE_TOLERANCE_S = 300;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

export function signEvent(secret: string, rawBody: string, unixSeconds: number): string {
  const mac = crypto.createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export function verifyEventSignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  now: Date,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const macs = parts.filter(([k, v]) => k === 'v1' && v && /^[0-9a-f]{64}$/i.test(v)).map(([, v]) => v!);
  if (!t || !/^\d{1,12}$/.test(t) || macs.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(now.getTime() / 1000 - Number(t)) > SIGNATURE_TOLERANCE_S)
    return { ok: false, reason: 'stale' };
  const expected = Buffer.from(crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
  const match = macs.some((m) => {
    const given = Buffer.from(m.toLowerCase());
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  });
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
}
