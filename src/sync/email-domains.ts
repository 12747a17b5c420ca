/**
 * Email domains: whose they are. A free-mail domain names no company: it gives a new Lead no
 * Company name, and two people on it are not colleagues.
 */
const freeMail = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.co.jp',
  'yahoo.fr',
  'yahoo.de',
  'ymail.com',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'outlook.com',
  'outlook.de',
  'live.com',
  'live.co.uk',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'tutanota.com',
  'fastmail.com',
  'hey.com',
  'gmx.de',
  'gmx.net',
  'gmx.com',
  'web.de',
  't-online.de',
  'mail.com',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'libero.it',
  'btinternet.com',
  'comcast.net',
  'yandex.ru',
  'yandex.com',
  'mail.ru',
  'qq.com',
  '163.com',
  '126.com',
  'naver.com',
  'rediffmail.com',
  'zoho.com',
  'zohomail.com',
]);

/** The address's domain, lower case ('' when it has none). */
export const domainOf = (email: string): string => (email.split('@').pop() ?? '').toLowerCase();

export const isFreeMail = (domain: string): boolean => freeMail.has(domain.toLowerCase());

/** True when `domain` is `parent` or one of its subdomains (eu.acme.com within acme.com). */
export const withinDomain = (domain: string, parent: string): boolean =>
  domain === parent || domain.endsWith(`.${parent}`);
