// The operator's words in English (issue 22 item 7): the same keys and {placeholders} as the Dutch
// reference, src/i18n/operator-nl.ts, written in plain British English for the person running the portal.
import type { OperatorCatalogue } from '../operator.ts'

const config = {
  heading: 'Configuration problems:',
  publicUrlScheme: 'PUBLIC_URL must start with http:// or https://.',
  publicUrlInvalid: 'PUBLIC_URL is not a valid URL: {value}.',
  publicUrlMissing: 'PUBLIC_URL is missing (the base of every link in mail, for example https://dossier.practice.example).',
  publicUrlHttp: 'PUBLIC_URL must be https:// in production (secure cookies and HSTS).',
  trustProxy:
    'PUBLIC_URL is https, but TRUST_PROXY is not true: put the portal behind a reverse proxy that handles TLS and sends X-Forwarded-Proto, and set TRUST_PROXY=true.',
  smtpScheme: 'SMTP_URL must start with smtp:// or smtps://.',
  smsScheme: 'SMS_WEBHOOK_URL must start with http:// or https://.',
  devOutboxValue: 'DEV_OUTBOX must be true or false (it is {value}).',
  smtpMissing: 'SMTP_URL is missing: without a mail server patients get no invitation and no code.',
  smsMissing: 'SMS_WEBHOOK_URL is missing: without an SMS gateway nobody can verify their phone number.',
  devOutboxProduction: 'DEV_OUTBOX={value} is not allowed in production: /dev/outbox shows every code.',
  devHttps: 'NODE_ENV is missing or development, but PUBLIC_URL is https. {looksLive}',
  devSmtp: 'NODE_ENV is missing or development, but SMTP_URL is set (a real mail server). {looksLive}',
  devSms: 'NODE_ENV is missing or development, but SMS_WEBHOOK_URL is set (a real SMS gateway). {looksLive}',
  devHost: 'NODE_ENV is missing or development, but HOST is {host}: development only listens on 127.0.0.1, ::1 or localhost. {looksLive}',
  looksLive: 'This looks like a live installation: set NODE_ENV=production, or remove the setting for development.',
  flowShorterThanTemporary:
    'FLOW_ABSOLUTE_MINUTES ({flow}) is shorter than TEMP_PASSWORD_TTL_MINUTES ({temporary}): the temporary password would expire before the time the email promises.',
  coolingFloor: 'STAFF_CHANGE_COOLING_HOURS must be at least {floor} in production: otherwise a staff member could take an account over at once.',
  integer: '{name} must be a whole number from {min} to {max} (it is {value}).',
  smsCountries: 'SMS_COUNTRIES must be a list of country codes, such as NL,BE,DE (it is {value}).',
  unreadableFile: '{name}: the file {path} cannot be read.',
  secretKeyMissing: 'SECRET_KEY is missing: make one with `openssl rand -hex 32`.',
  secretKeyWeak: '{name} is too weak: use 32 random bytes, for example `openssl rand -hex 32`.',
  secretKeyBase64: '{name} is too weak or wrongly written: not valid base64 of 32 bytes. Make one with `openssl rand -hex 32`.',
  secretKeyFormat: '{name} is too weak or wrongly written: exactly 64 hexadecimal or 43 base64 characters (32 random bytes), for example `openssl rand -hex 32`.',
  olderKeyName: 'SECRET_KEYS_OLD (key {n})',
  olderKeyRepeated: '{name} is the same key as SECRET_KEY or an earlier one: name each key once.',
  olderKeysWithoutKey: 'SECRET_KEYS_OLD is set, but SECRET_KEY is not: SECRET_KEY is the key the portal encrypts with.',
  operatorLanguage: 'OPERATOR_LANGUAGE must be nl or en (it is {value}).',
}

const server = {
  running: '{portal} is running at {url} ({mode}).',
  devOutbox: 'Dev outbox (every email and SMS): {url}',
  demoApp: 'Demo app (signs in through the portal): {url}',
  demoPatient: 'Demo: patient "jdevries" has been invited. Open {url} and follow the link in the invitation.',
  stopping: '{signal}: shutting down...',
  olderKeys: 'Previous keys in SECRET_KEYS_OLD: {count}. They still open data but encrypt nothing; after `npm run admin -- secret-key reseal` they can go (docs/operations.md).',
  adopted: 'Audit log: {count} row(s) without a hash (rows {from} to {to}, written by an older version) adopted into the chain.',
}

const keyCheck = {
  refused:
    'The configured key does not open the data in the database: {what}. Is this the SECRET_KEY of this database ({path})? After a key change the previous key belongs in SECRET_KEYS_OLD until `npm run admin -- secret-key reseal` has finished (docs/operations.md, "Rotating the secret key").',
  totp: 'the authenticator app secret of account {id}',
  pendingTotp: 'the not yet confirmed app secret of account {id}',
  client: 'the secret of app {id}',
  signingKey: 'signing key {id}',
}

export const operatorEn: OperatorCatalogue = {
  config,
  server,
  keyCheck,
}
