// The operator's words in Dutch (issue 22 item 7): configuration problems, the server's start lines and
// the CLI. The reference for src/i18n/operator-en.ts, which has the same keys and the same {placeholders}
// (the compiler checks the keys, test/operator-language.test.ts the placeholders). Which language an
// operator reads is decided in src/operator.ts (OPERATOR_LANGUAGE, else LC_ALL/LC_MESSAGES/LANG).
// Names of settings, commands and options stay as they are typed.

const config = {
  heading: 'Configuratie onjuist:',
  publicUrlScheme: 'PUBLIC_URL moet met http:// of https:// beginnen.',
  publicUrlInvalid: 'PUBLIC_URL is geen geldige URL: {value}.',
  publicUrlMissing: 'PUBLIC_URL ontbreekt (de basis van elke link in e-mail, bijvoorbeeld https://dossier.praktijk.nl).',
  publicUrlHttp: 'PUBLIC_URL moet in productie https:// zijn (veilige cookies en HSTS).',
  trustProxy:
    'PUBLIC_URL is https, maar TRUST_PROXY staat niet op true: zet het portaal achter een reverse proxy die TLS afhandelt en X-Forwarded-Proto meestuurt, en stel TRUST_PROXY=true in.',
  smtpScheme: 'SMTP_URL moet met smtp:// of smtps:// beginnen.',
  smsScheme: 'SMS_WEBHOOK_URL moet met http:// of https:// beginnen.',
  devOutboxValue: 'DEV_OUTBOX moet true of false zijn (nu {value}).',
  smtpMissing: 'SMTP_URL ontbreekt: zonder mailserver krijgen cliënten geen uitnodiging of code.',
  smsMissing: 'SMS_WEBHOOK_URL ontbreekt: zonder sms-gateway kan niemand zijn telefoonnummer verifiëren.',
  devOutboxProduction: 'DEV_OUTBOX={value} is in productie niet toegestaan: /dev/outbox toont alle codes.',
  devHttps: 'NODE_ENV ontbreekt of is development, maar PUBLIC_URL is https. {looksLive}',
  devSmtp: 'NODE_ENV ontbreekt of is development, maar SMTP_URL is ingesteld (een echte mailserver). {looksLive}',
  devSms: 'NODE_ENV ontbreekt of is development, maar SMS_WEBHOOK_URL is ingesteld (een echte sms-gateway). {looksLive}',
  devHost: 'NODE_ENV ontbreekt of is development, maar HOST is {host}: ontwikkeling luistert alleen op 127.0.0.1, ::1 of localhost. {looksLive}',
  looksLive: 'Dit lijkt een echte installatie: zet NODE_ENV=production, of verwijder de instelling voor ontwikkeling.',
  flowShorterThanTemporary:
    'FLOW_ABSOLUTE_MINUTES ({flow}) is korter dan TEMP_PASSWORD_TTL_MINUTES ({temporary}): het tijdelijke wachtwoord zou eerder verlopen dan de e-mail belooft.',
  coolingFloor: 'STAFF_CHANGE_COOLING_HOURS moet in productie minstens {floor} zijn: anders kan een medewerker een account direct overnemen.',
  integer: '{name} moet een geheel getal zijn van {min} tot en met {max} (nu {value}).',
  smsCountries: 'SMS_COUNTRIES moet een lijst van landcodes zijn, zoals NL,BE,DE (nu {value}).',
  unreadableFile: '{name}: het bestand {path} is niet leesbaar.',
  secretKeyMissing: 'SECRET_KEY ontbreekt: maak er een met `openssl rand -hex 32`.',
  secretKeyWeak: '{name} is te zwak: gebruik 32 willekeurige bytes, bijvoorbeeld `openssl rand -hex 32`.',
  secretKeyBase64: '{name} is te zwak of onjuist geschreven: geen geldige base64 van 32 bytes. Maak er een met `openssl rand -hex 32`.',
  secretKeyFormat: '{name} is te zwak of onjuist geschreven: precies 64 hexadecimale of 43 base64-tekens (32 willekeurige bytes), bijvoorbeeld `openssl rand -hex 32`.',
  /** The name of one key of SECRET_KEYS_OLD in the problems above. */
  olderKeyName: 'SECRET_KEYS_OLD (sleutel {n})',
  olderKeyRepeated: '{name} is dezelfde sleutel als SECRET_KEY of een eerdere: noem elke sleutel één keer.',
  olderKeysWithoutKey: 'SECRET_KEYS_OLD is ingesteld, maar SECRET_KEY niet: SECRET_KEY is de sleutel waaronder het portaal versleutelt.',
  operatorLanguage: 'OPERATOR_LANGUAGE moet nl of en zijn (nu {value}).',
}

const server = {
  running: '{portal} draait op {url} ({mode}).',
  devOutbox: 'Dev outbox (alle e-mail en sms): {url}',
  demoApp: 'Demo-app (inloggen via het portaal): {url}',
  demoPatient: 'Demo: cliënt "jdevries" is uitgenodigd. Open {url} en klik op de link in de uitnodiging.',
  stopping: '{signal}: afsluiten...',
  olderKeys: 'Vorige sleutels in SECRET_KEYS_OLD: {count}. Ze openen nog gegevens, maar versleutelen niets; na `npm run admin -- secret-key reseal` kunnen ze weg (docs/operations.md).',
  adopted: 'Auditlog: {count} regel(s) zonder hash (regels {from} tot en met {to}, geschreven door een oudere versie) in de keten opgenomen.',
}

/** The start-up check that the configured keys open the data (src/domain/key-check.ts). */
const keyCheck = {
  refused:
    'De ingestelde sleutel opent de gegevens in de database niet: {what}. Is dit de SECRET_KEY van deze database ({path})? Na een sleutelwissel hoort de vorige sleutel in SECRET_KEYS_OLD tot `npm run admin -- secret-key reseal` klaar is (docs/operations.md, "Rotating the secret key").',
  totp: 'het geheim van de authenticatie app van account {id}',
  pendingTotp: 'het nog niet bevestigde app-geheim van account {id}',
  client: 'het geheim van app {id}',
  signingKey: 'ondertekensleutel {id}',
}

export const operatorNl = {
  config,
  server,
  keyCheck,
}
