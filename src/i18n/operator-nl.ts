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
  databaseUrlScheme: 'DATABASE_URL moet met postgres:// of postgresql:// beginnen (of met pglite: voor een proef in één proces).',
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
  // Issue 24 #4: the longest names go into one SMS segment (domain/sms-text.ts).
  practiceNameTooLong: 'PRACTICE_NAME mag hoogstens 40 gewone tekens hebben: de naam staat in sms-berichten, die in één bericht van 160 tekens moeten passen.',
  practiceContactTooLong: 'PRACTICE_CONTACT mag hoogstens 25 gewone tekens hebben (een telefoonnummer): het contact staat in sms-berichten, die in één bericht van 160 tekens moeten passen.',
  portalNameTooLong: 'PORTAL_NAME moet 1 tot 40 tekens hebben: de naam staat in de sms met de verificatiecode, die in één bericht van 160 tekens moet passen.',
  accessibilityContactTooLong: 'ACCESSIBILITY_CONTACT mag hoogstens 200 gewone tekens hebben.',
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
  smsPerAccount:
    'SMS_PER_ACCOUNT_PER_HOUR ({perAccount}) is minder dan twee keer CODES_PER_HOUR ({perSender}): er moet ruimte zijn voor onbekende afzenders én voor de eigen browser van de cliënt.',
  metricsSamePort: 'METRICS_PORT ({port}) is dezelfde poort als PORT: de metrics horen niet op de publieke site.',
  metricsTokenShort: 'METRICS_TOKEN is te kort: minstens 32 tekens, bijvoorbeeld `openssl rand -hex 32`.',
  metricsHostWithoutToken: 'METRICS_HOST is {host} (niet alleen deze machine), maar METRICS_TOKEN ontbreekt: zet een token, of laat METRICS_HOST op 127.0.0.1.',
  secretKeyFileUnwritable:
    'SECRET_KEY ontbreekt, en {file} kan niet worden gelezen of aangemaakt ({code}): maak de map {folder} schrijfbaar voor deze gebruiker, of zet SECRET_KEY (`openssl rand -hex 32`).',
}

const server = {
  running: '{portal} draait op {url} ({mode}).',
  devOutbox: 'Dev outbox (alle e-mail en sms): {url}',
  demoApp: 'Demo-app (inloggen via het portaal): {url}',
  demoPatient: 'Demo: cliënt "jdevries" is uitgenodigd. Open {url} en klik op de link in de uitnodiging.',
  stopping: '{signal}: afsluiten...',
  stopAgain: '{signal}: nogmaals, direct stoppen.',
  stopTimeout: '{signal}: na {seconds} s nog niet gestopt; open verbindingen worden verbroken.',
  sighup: 'SIGHUP: genegeerd; het portaal draait door (de log gaat naar standaarduitvoer, er is niets te heropenen).',
  /** Said where a signal's name would be: the npm that started the portal is gone. */
  npmGone: 'npm gestopt',
  metrics: 'Metrics: {url}{token}',
  metricsToken: ' (met METRICS_TOKEN)',
  olderKeys: 'Vorige sleutels in SECRET_KEYS_OLD: {count}. Ze openen nog gegevens, maar versleutelen niets; na `npm run admin -- secret-key reseal` kunnen ze weg (docs/operations.md).',
  adopted: 'Auditlog: {count} regel(s) zonder hash (regels {from} tot en met {to}, geschreven door een oudere versie) in de keten opgenomen.',
  proxyNote:
    'Let op: TRUST_PROXY staat uit. X-Forwarded-For wordt genegeerd en de limieten per adres zien het verbindende adres. Staat het portaal achter een reverse proxy, zet dan TRUST_PROXY=true.',
  forwardedWithoutTrust:
    'Waarschuwing: verzoeken komen binnen met X-Forwarded-For, maar TRUST_PROXY staat uit. Het portaal ziet dan het adres van de proxy voor iedereen, en de limieten per adres tellen alle cliënten samen. Zet TRUST_PROXY=true als het portaal achter één reverse proxy staat.',
  smsBudget: "Waarschuwing: sms-limiet bereikt ({who}: {limit} per uur). Verdere sms'en worden dit uur geweigerd.",
  smsBudgetPortal: 'hele portaal',
  oidcBudget: 'Waarschuwing: limiet app-aanmeldingen bereikt ({who}: {limit} per uur). Verdere aanvragen worden dit uur geweigerd.',
  oidcBudgetApp: 'app {id}',
  smsBudgetClient: 'client {client}',
  smsBudgetPractice: 'praktijk {practice}',
  secretUnreadable: 'Let op: het geheim van de authenticatie app van account {id} opent onder geen enkele ingestelde sleutel; dit account kan niet inloggen tot de sleutel weer in SECRET_KEYS_OLD staat of de tweede stap is gereset.',
}

/** The usual mistakes at start, each one plain line with exit code 78 (src/start-errors.ts). */
const startErrors = {
  portInUse: '{name}: poort {port} op {host} is al in gebruik (draait het portaal al, of een ander programma?). Stop dat programma of kies een andere {name}.',
  portDenied: '{name}: poort {port} op {host} mag deze gebruiker niet openen (poorten onder 1024 vragen extra rechten). Kies een poort vanaf 1024 en zet de reverse proxy ervoor.',
  hostUnknown: '{name}: {host} is geen adres van deze machine. Gebruik 127.0.0.1 achter een reverse proxy, of een adres van deze machine.',
  unwritable:
    'DATABASE_PATH: {path} kan niet worden aangemaakt of geschreven ({code}). De map en het bestand moeten voor de gebruiker van het portaal ({user}) schrijfbaar zijn, bijvoorbeeld `install -d -o {user} -m 0700 {folder}`; of kies een ander DATABASE_PATH.',
  readOnlyFs: 'DATABASE_PATH: {path} ligt op een alleen-lezen bestandssysteem (EROFS). Kies een DATABASE_PATH op een schrijfbare schijf (bij systemd: ReadWritePaths= of StateDirectory=).',
  notAPath: 'DATABASE_PATH: {path} is geen bestandspad ({code}): een deel ervan is een bestand, of het pad is een map.',
  diskFull: 'DATABASE_PATH: de schijf van {folder} is vol ({code}).',
  notADatabase: 'DATABASE_PATH: {path} is geen SQLite-database van het portaal ({code}). Controleer het pad.',
  unknownUser: 'onbekend',
  practiceWithoutContact:
    'Praktijk {slug} ({name}) heeft geen contact: cliënten kunnen de praktijk nergens bereiken. Stel PRACTICE_CONTACT in (één praktijk), of: npm run admin -- practice set {slug} --contact "030 123 45 67".',
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

/** The CLI's own words, shared by every command (src/cli/). */
const cli = {
  usage: 'Gebruik: npm run admin -- [--env-file BESTAND] <opdracht> [opties]',
  commandsHeading: 'Opdrachten:',
  helpSummary: 'Deze uitleg.',
  versionSummary: 'Toont de versie van het portaal (ook: --version).',
  globalOptions:
    'Algemene opties, vóór de opdracht:\n  --env-file BESTAND  de instellingen van de dienst (het EnvironmentFile van systemd); zonder deze optie\n                      de omgeving van deze shell. Mag vaker, zoals EnvironmentFile=.\n  --version           de versie van het portaal.',
  footer: 'Elke opdracht heeft --help. Bij een fout is de exitcode niet 0 (78: de instellingen kloppen niet).',
  unknownCommand: 'Onbekende opdracht: {name}',
  unknownOption: 'Onbekende optie: {subject}.',
  optionValue: 'De optie {subject} heeft een waarde nodig (of juist geen).',
  unexpectedArgument: 'Onverwacht argument: {subject}.',
  envFileFirst: '--env-file hoort vóór de opdracht: npm run admin -- --env-file BESTAND {name} ...',
  envFileMissing: 'Geef een bestand na --env-file.',
  envFileUnreadable: '--env-file: het bestand {path} is niet leesbaar ({reason}). Voer de opdracht uit als een gebruiker die het mag lezen, bijvoorbeeld met sudo -u en de gebruiker van de dienst.',
  envFileIgnored: '{file}, regel {line}: {reason}; overgeslagen, zoals systemd dat ook doet.',
  envFileBadName: '"{name}" is geen geldige naam',
  envFileBadValue: 'de waarde van {name} bevat een teken dat niet mag',
  database: 'Database: {path}',
  noDatabase:
    'Er is geen database op {path}. De opdrachtregel maakt nooit een nieuwe aan: dan werkt u met de verkeerde instellingen. Gebruik die van de dienst: npm run admin -- --env-file /etc/mtd-portal/portal.env <opdracht> (of zet DATABASE_PATH). Op een ontwikkelmachine maakt `npm run dev` of `npm start` de database eenmalig aan.',
  databaseUnreadable: 'De database {path} is niet te openen ({reason}). Voer de opdracht uit als de gebruiker van de dienst (sudo -u ...).',
  unknownLanguage: 'Onbekende taal: {value}. Kies nl (Nederlands) of en (Engels).',
  practiceRequired: 'Er zijn {count} praktijken: geef --practice met een van: {choices}.',
  unknownPractice: 'Onbekende praktijk: {value}. Kies een van: {choices}.',
  giveUsername: 'Geef de gebruikersnaam van het account.',
  missing: 'Ontbrekend: {options}.',
  noAccount: 'Geen account met gebruikersnaam {username}.',
  /** Issue 23 #2: from when a change by staff can be used, as the operator tells the patient. */
  factorWait: 'Een nieuwe tweede stap instellen kan vanaf {when} (wachttijd ter bescherming van het account).',
  contactWait: "'Wachtwoord vergeten' werkt voor dit account weer vanaf {when}; inloggen met wachtwoord en tweede stap kan gewoon.",
  /** Usage words in the synopsis of a command. */
  argUsername: 'GEBRUIKERSNAAM',
  argEmail: 'E-MAIL',
  argPhone: 'MOBIEL',
  argFile: 'BESTAND',
}

/** Each command: its overview lines (usage, then what it does), its --help, and what it says. */
const commands = {
  practice: {
    overview: 'practice add --name NAAM --contact CONTACT [--language nl|en] [--slug CODE]\nVoegt een praktijk toe (één installatie voor meerdere praktijken).\npractice list [--json] | practice set CODE [--name NAAM] [--contact CONTACT] [--language nl|en]\nToont de praktijken, of wijzigt er een.',
    help: 'Gebruik: npm run admin -- practice <add|list|set> ...\n\n  practice add --name NAAM --contact CONTACT [--language nl|en] [--slug CODE]\n      Voegt een praktijk toe. --name: hoogstens 40 tekens. --contact: hoe cliënten de praktijk bereiken\n      (een telefoonnummer, hoogstens 25 tekens); het staat in elke melding die een cliënt naar de praktijk\n      verwijst, en is verplicht. Naam en contact staan in sms-berichten, die in één bericht passen.\n      --language: de taal van nieuwe accounts als bij het uitnodigen geen taal wordt gekozen (standaard nl).\n      --slug: de code van de praktijk (kleine letters, cijfers, streepjes); zonder de optie gemaakt van\n      de naam. De code verandert nooit: u geeft hem mee als --practice, en apps krijgen hem als id.\n  practice list [--json]\n      Toont de praktijken met hun code, contact, taal en aantal accounts.\n  practice set CODE [--name NAAM] [--contact CONTACT] [--language nl|en]\n      Wijzigt een praktijk. Daarna volgt de praktijk PRACTICE_NAME en PRACTICE_CONTACT niet meer.\n\nMedewerkers zien en beheren alleen de accounts van hun eigen praktijk; gebruikersnamen zijn uniek in de\nhele installatie. invite, create-staff en list nemen --practice CODE, nodig zodra er meer dan één\npraktijk is.',
    show: '{slug}: {name}, contact: {contact}, taal: {language}',
    noContact: '(geen)',
    added: 'Praktijk toegevoegd: {practice}. Maak de eerste beheerder met create-staff --practice {slug}.',
    columns: 'CODE|NAAM|CONTACT|TAAL|CLIËNTEN|MEDEWERKERS|VOLGT PRACTICE_NAME',
    yes: 'ja',
    no: 'nee',
    giveSlug: 'Geef één praktijkcode (zie practice list).',
    noPractice: 'Geen praktijk met code {slug} (zie practice list).',
    giveChange: 'Geef wat er verandert: --name, --contact of --language.',
    changed: 'Praktijk gewijzigd: {practice}.',
    unknown: 'Onbekende opdracht: practice {sub}.',
    giveSub: 'Geef een opdracht: add, list of set.',
  },
  invite: {
    overview: 'invite --name "Jan de Vries" --email jan@example.org --phone +31612341361 [--username jdevries] [--language nl|en] [--practice CODE]\nMaakt een cliënt aan, verstuurt de uitnodiging en toont de gebruikersnaam.',
    help: 'Gebruik: npm run admin -- invite --name NAAM --email E-MAIL --phone MOBIEL [--username NAAM] [--language nl|en] [--practice CODE]\n\nMaakt een cliënt aan en verstuurt de uitnodiging (Stap 1) via de ingestelde mailserver.\nMobiel nummer als +31612341361 of 06-12341361. Zonder --username wordt er een voorgesteld, die\nbinnen de hele installatie vrij is.\n--language: de taal van de e-mails, sms-berichten en pagina\'s van het account, nl (Nederlands) of\nen (Engels); zonder de optie de taal van de praktijk.\n--practice: de praktijk van het account (zie practice list). Nodig zodra er meer dan één praktijk is.',
    invited: 'Uitnodiging voor {name} <{email}>{about}, geldig tot {until}.',
    notDelivered: 'Let op: de e-mail is nog niet bezorgd ({error}). De server probeert het opnieuw.',
    unknownError: 'onbekende fout',
    devOutbox: 'Geen SMTP_URL ingesteld: de e-mail staat in de dev outbox ({url}).',
  },
  createStaff: {
    overview: 'create-staff --name NAAM --email E-MAIL --phone MOBIEL --role beheerder|behandelaar [--username NAAM] [--language nl|en] [--practice CODE]\nMaakt een medewerker aan en verstuurt de uitnodiging.',
    help: 'Gebruik: npm run admin -- create-staff --name NAAM --email E-MAIL --phone MOBIEL --role beheerder|behandelaar [--username NAAM] [--language nl|en] [--practice CODE]\n\nMaakt een medewerker aan en verstuurt de uitnodiging. Medewerkers doorlopen dezelfde aanmelding als\ncliënten en gebruiken altijd een authenticatie app. Een beheerder beheert medewerkers en cliënten, een\nbehandelaar beheert cliënten. De eerste beheerder maakt u zo aan. Medewerkers zien en beheren alleen\nde accounts van hun eigen praktijk.\n--language: de taal van de e-mails, sms-berichten en pagina\'s van het account, nl (Nederlands) of\nen (Engels); zonder de optie de taal van de praktijk.\n--practice: de praktijk van de medewerker (zie practice list). Nodig zodra er meer dan één praktijk is.',
    invited: 'Uitnodiging voor {name} <{email}>{about}, geldig tot {until}.',
  },
  resend: {
    summary: 'Verstuurt een nieuwe uitnodiging; de oude link vervalt.',
    help: 'Verstuurt een nieuwe uitnodiging naar het e-mailadres van het account. De vorige link werkt daarna niet meer.\nNiet mogelijk voor een account dat de aanmelding al heeft afgerond.',
    done: 'Nieuwe uitnodiging verstuurd naar {email}, geldig tot {until}.',
  },
  resetMfa: {
    summary: 'Reset de tweede stap; na de wachttijd sms-verificatie en opnieuw instellen bij het inloggen.',
    help: 'Reset de tweede stap. Na een wachttijd (STAFF_CHANGE_COOLING_HOURS, standaard 24 uur, voor een account dat de\naanmelding heeft afgerond) verifieert het account bij het inloggen het telefoonnummer per sms en stelt de tweede\nstap opnieuw in; de uitvoer noemt vanaf wanneer. Open sessies en aanmeldingen bij apps worden beëindigd; het\naccount krijgt een e-mail en een sms.',
    done: 'De tweede stap van {username} is gereset.',
  },
  unlock: {
    summary: 'Ontgrendelt het account na te veel mislukte pogingen.',
    help: 'Ontgrendelt het account na te veel mislukte pogingen, en wist een eventuele wachttijd.',
    done: '{username} is ontgrendeld ({what}).',
    whatPassword: 'het wachtwoord',
    whatSecondStep: 'de tweede stap',
    whatBoth: 'het wachtwoord en de tweede stap',
    notLocked: '{username} was niet vergrendeld; een eventuele wachttijd is gewist.',
  },
  deactivate: {
    summary: 'Deactiveert het account en beëindigt de sessies direct.',
    help: 'Deactiveert het account: inloggen kan niet meer, open sessies eindigen direct.',
    done: '{username} is gedeactiveerd ({count} sessie(s) beëindigd).',
  },
  activate: {
    summary: 'Activeert een gedeactiveerd account weer.',
    help: 'Activeert een gedeactiveerd account weer.',
    done: '{username} is actief.',
  },
  changeEmail: {
    summary: 'Wijzigt het e-mailadres.',
    help: 'Wijzigt het e-mailadres (--email). Voor het einde van de aanmelding gaat er een nieuwe uitnodiging naar het nieuwe\nadres; daarna bevestigt het account het nieuwe adres met een code bij de volgende keer inloggen.',
    done: 'Het e-mailadres van {username} is gewijzigd.',
  },
  changePhone: {
    summary: 'Wijzigt het mobiele nummer.',
    help: 'Wijzigt het mobiele nummer (--phone). Het account verifieert het nieuwe nummer per sms bij de volgende stap of keer inloggen.',
    done: 'Het mobiele nummer van {username} is gewijzigd.',
  },
  erase: {
    summary: 'Verwijdert de persoonsgegevens; het auditlog houdt alleen het accountnummer.',
    help: 'Verwijdert het account: naam, gebruikersnaam, e-mailadres en mobiel nummer worden gewist, net als sessies, codes,\nlinks en berichten. Het auditlog houdt alleen het accountnummer. Kan niet ongedaan worden gemaakt: geef --yes mee.',
    confirm: 'Verwijderen kan niet ongedaan worden gemaakt. Geef --yes mee om te bevestigen.',
    done: 'Account #{id} is verwijderd.',
  },
  setRole: {
    summary: 'Maakt een medewerker beheerder of behandelaar.',
    help: 'Wijzigt de rol van een medewerker (--role beheerder of behandelaar). Een beheerder beheert medewerkers en\ncliënten, een behandelaar beheert cliënten. De laatste actieve beheerder blijft beheerder: maak eerst een andere aan.\nDe wijziging geldt direct, ook in open sessies, en staat in het auditlog.',
    done: '{username} is nu {role}.',
    unchanged: '{username} was al {role}.',
  },
  list: {
    overview: 'list [--search TEKST] [--role patient|staff|behandelaar|beheerder] [--practice CODE] [--json]\nToont de accounts van een praktijk met hun status.',
    help: 'Gebruik: npm run admin -- list [--search TEKST] [--role patient|staff|behandelaar|beheerder] [--practice CODE] [--json]\n\nToont de accounts (verwijderde niet) van een praktijk met hun status: uitgenodigd, e-mail geverifieerd,\ntelefoon geverifieerd, wachtwoord ingesteld, actief, vergrendeld of gedeactiveerd; met de uitnodiging en de\nlaatste keer inloggen. --json geeft hetzelfde als JSON.\n--practice: de praktijk (zie practice list). Nodig zodra er meer dan één praktijk is.',
    unknownRole: 'Onbekende rol: {role}.',
    none: 'Geen accounts gevonden.',
    columns: 'GEBRUIKERSNAAM|NAAM|ROL|STATUS|UITNODIGING GELDIG TOT|LAATST INGELOGD',
    expired: ' (verlopen)',
  },
  audit: {
    overview:
      'audit [--username NAAM] [--event NAAM] [--since DATUM] [--limit N] [--json]\nToont recente gebeurtenissen uit het auditlog, nieuwste eerst.\naudit verify [--database BESTAND]\nControleert de hashketen van het auditlog (ook van een back-up, alleen lezend); exitcode 1 bij de eerste beschadigde regel.\naudit export --since DATUM [--until DATUM] [--format jsonl|csv] [--zone ZONE]\nSchrijft het auditlog van een periode naar stdout, voor bewaring.',
    help: 'Gebruik: npm run admin -- audit [--username NAAM] [--account ID] [--event NAAM] [--since DATUM] [--limit N] [--json]\n\nToont gebeurtenissen uit het auditlog, nieuwste eerst (standaard de laatste 50).\n  --username  alleen dit account        --account  alleen dit accountnummer (ook van een verwijderd account)\n  --event     bijvoorbeeld sign_in, sign_in_failed, invite, lockout, mfa_reset\n  --since     vanaf een datum (2026-03-02 of 2-3-2026, Amsterdamse tijd), een tijdstip (2026-03-02T09:00:00Z)\n              of een periode terug (24h, 7d)\n\nGebruik: npm run admin -- audit verify [--database BESTAND]\n\nControleert of het auditlog nog is zoals het geschreven werd: elke regel draagt een SHA-256 over de\nvorige regel en haar eigen inhoud. Toont de eerste regel die niet klopt (gewijzigd, ertussen gezet of\nmet een verwijderde regel ervoor) en eindigt dan met exitcode 1. Klopt alles, dan toont het de laatste\nhash: noteer die buiten de server (bij de back-up), dan valt ook een herschreven keten op.\nZonder --database de database van DATABASE_PATH. Het bestand wordt alleen gelezen: geen migratie, geen\n-wal of -shm erbij, niets veranderd; zo controleert u ook een back-up.\n\nGebruik: npm run admin -- audit export --since DATUM [--until DATUM] [--format jsonl|csv] [--zone ZONE] [--database BESTAND]\n\nSchrijft alle gebeurtenissen van --since tot (niet tot en met) --until naar stdout, oudste eerst, zonder\nmaximum: JSON Lines (standaard, één object per regel) of CSV (RFC 4180; cellen die met = + - @ beginnen\nkrijgen een \' ervoor, zodat een spreadsheet ze niet als formule leest). Tijden als ISO 8601 met hun\nverschil met UTC, in UTC (standaard) of in --zone, bijvoorbeeld Europe/Amsterdam. Zonder --until: tot nu.',
    badAccount: '--account moet een accountnummer zijn (nu {value}).',
    badEvent: 'Onbekende gebeurtenis: {value}.',
    badSince: '--since begrijp ik niet: {value}. Gebruik bijvoorbeeld 2026-03-02, 2-3-2026, 24h of 7d.',
    badUntil: '--until begrijp ik niet: {value}. Gebruik bijvoorbeeld 2026-03-02 of 2026-03-02T09:00:00Z.',
    badLimit: '--limit moet een getal van 1 tot en met 99999 zijn (nu {value}).',
    badFormat: '--format is jsonl of csv (nu {value}).',
    badZone: '--zone is geen tijdzone: {value}. Bijvoorbeeld UTC of Europe/Amsterdam.',
    sinceRequired: 'Geef --since: de eerste dag van de periode.',
    untilBeforeSince: '--until ligt niet na --since.',
    none: 'Geen gebeurtenissen gevonden.',
    columns: 'TIJD (UTC)|GEBEURTENIS|UITKOMST|ACCOUNT|DOOR|IP|DETAILS',
    exported: '{count} gebeurtenis(sen) geschreven ({from} tot {until}, tijden in {zone}).',
    verified: 'Auditlog in orde: {rows} regels gecontroleerd{upTo}.',
    upTo: ' (tot en met regel {id})',
    lastHash: 'Laatste hash: {hash}',
    adoption: 'Opgenomen in de keten op {at}: regels {from} tot en met {to} ({count}), geschreven door een oudere versie zonder hash.',
    pending: 'Let op: regels {from} tot en met {to} ({count}) hebben nog geen hash (geschreven door een oudere versie); deze versie neemt ze bij de volgende start op in de keten.',
    noChain: 'Deze database heeft nog geen hashketen (van voor de versie die het auditlog ketent): start het portaal er eenmaal op.',
    broken: 'Auditlog beschadigd bij regel {id}: {why}. {rows} regels ervoor kloppen; vanaf regel {id} is het log niet te vertrouwen.',
    whyHash: 'de inhoud of de regel ervoor is veranderd, of de regel is ertussen gezet',
    whyMissingHash: 'de regel heeft geen hash, maar er staan regels met een hash na: buiten het portaal toegevoegd',
    whyTailRemoved: 'regels aan het eind zijn verwijderd',
    readOnly: 'Alleen lezend geopend: {path}',
  },
  backup: {
    overview: 'backup BESTAND\nMaakt een consistente back-up van de database terwijl het portaal draait.',
    help: 'Gebruik: npm run admin -- backup BESTAND\n\nMaakt een consistente kopie van de database, ook terwijl het portaal draait, en controleert die: de\nintegriteit en de hashketen van het auditlog in de kopie zelf. Toont de laatste hash van de kopie: noteer\ndie bij de back-up. Een bestaand bestand wordt nooit overschreven. De kopie bevat geen SECRET_KEY: bewaar\ndie apart. Terugzetten: stop het portaal, zet de kopie op de plaats van DATABASE_PATH (verwijder daar\neventuele -wal en -shm bestanden) en start het portaal met dezelfde SECRET_KEY (zie README, Backups).',
    oneFile: 'Geef één bestandsnaam: npm run admin -- backup BESTAND.',
    checkFailed: 'De kopie is niet in orde ({detail}); probeer het opnieuw.',
    exists: 'Dat bestand bestaat al; kies een nieuwe naam.',
    sameFile: 'Dat is de database zelf; kies een ander bestand.',
    postgres:
      'Dit portaal draait op PostgreSQL (DATABASE_URL): maak de back-up met de eigen hulpmiddelen van PostgreSQL, bijvoorbeeld\n  pg_dump --format=custom --file=portaal.dump "$DATABASE_URL"\nen zet hem terug met pg_restore (docs/postgresql.md, Back-up en herstel). Bewaar SECRET_KEY apart van de back-up.',
    made: 'Back-up gemaakt ({size} KB). Bewaar SECRET_KEY apart van deze back-up.',
    copyHash: 'Laatste hash in de kopie (regel {id}): {hash}',
    copyBroken: 'Let op: het auditlog in de kopie is beschadigd bij regel {id}; controleer de database met audit verify.',
  },
  client: {
    overview:
      'client add --name NAAM --redirect-uri URL [--first-party] ...\nRegistreert een app (OpenID Connect).\nclient list [--json] | client remove CLIENT_ID | client rotate-secret CLIENT_ID\nToont, verwijdert of vernieuwt het geheim van een app.',
    help: 'Gebruik: npm run admin -- client <add|list|remove|rotate-secret> ...\n\n  client add --name NAAM --redirect-uri URL [--redirect-uri URL ...] [--post-logout-uri URL ...]\n             [--backchannel-logout-uri URL] [--first-party] [--id-token-alg RS256|ES256]\n             [--auth-method basic|post] [--practice CODE]\n      Registreert een app die cliënten via het portaal laat inloggen (OpenID Connect) en toont\n      client_id en client_secret. Het geheim wordt één keer getoond: bewaar het in de app.\n      Redirect-URI\'s moeten exact overeenkomen en https zijn (http://localhost alleen buiten productie).\n      --first-party: een app van de praktijk zelf; cliënten krijgen geen toestemmingsvraag.\n      --practice: de app is alleen voor de accounts van deze praktijk (zie practice list); wie van een\n      andere praktijk is, hoort na het inloggen dat de app niet voor zijn praktijk is, en de app krijgt niets.\n      Zonder de optie is de app voor de accounts van alle praktijken.\n  client list [--json]            Toont de geregistreerde apps (nooit hun geheim).\n  client remove CLIENT_ID         Verwijdert de app; haar codes en tokens vervallen.\n  client rotate-secret CLIENT_ID  Geeft de app een nieuw geheim; het oude werkt direct niet meer.',
    missingName: 'Ontbrekend: --name.',
    badAlg: '--id-token-alg is RS256 of ES256 (nu {value}).',
    badAuthMethod: '--auth-method is basic of post (nu {value}).',
    added: 'App "{name}" geregistreerd{only}. Het geheim wordt niet opnieuw getoond; issuer: {issuer}',
    none: 'Geen apps geregistreerd.',
    firstParty: ' (eigen app)',
    since: 'sinds {when}',
    redirect: 'redirect',
    afterLogout: 'na uitloggen',
    onlyPractice: ' (alleen praktijk {practice})',
    practice: 'praktijk',
    allPractices: 'alle praktijken',
    oneId: 'Geef één CLIENT_ID (zie client list).',
    noClient: 'Geen app met client_id {id}.',
    removed: 'App "{name}" verwijderd; haar codes en tokens zijn vervallen.',
    rotated: 'Nieuw geheim voor "{name}"; het oude werkt niet meer. Het wordt niet opnieuw getoond.',
    unknown: 'Onbekende opdracht: client {sub}.',
    giveSub: 'Geef een opdracht: add, list, remove of rotate-secret.',
  },
  keys: {
    overview: 'keys rotate\nNieuwe ondertekensleutels voor id_tokens (herstart daarna het portaal). Niet SECRET_KEY: zie secret-key.',
    help: 'Gebruik: npm run admin -- keys rotate\n\nMaakt nieuwe ondertekensleutels (RS256 en ES256) voor id_tokens. De oude publieke sleutels blijven\nnog {hours} uur in de JWKS staan, zodat tokens van vlak voor de wissel geldig blijven.\nHerstart het portaal daarna: het leest de sleutels bij het starten.\nDit wisselt niet SECRET_KEY, de sleutel waaronder het portaal zijn geheimen versleutelt: dat doet\nsecret-key reseal (npm run admin -- secret-key --help).',
    give: 'Geef de opdracht: keys rotate.',
    rotated: 'Nieuwe sleutels: {created}; {retired} oude sleutel(s) blijven {hours} uur gepubliceerd.',
    restart: 'Herstart het portaal om met de nieuwe sleutels te ondertekenen.',
  },
  secretKey: {
    overview:
      'secret-key status\nToont per soort geheim hoeveel onder SECRET_KEY, onder een sleutel uit SECRET_KEYS_OLD of onder geen van beide versleuteld is.\nsecret-key reseal\nVersleutelt alles wat nog onder een sleutel uit SECRET_KEYS_OLD staat opnieuw onder SECRET_KEY.\nsecret-key forget --yes\nAlleen bij een verloren sleutel: geeft op wat geen ingestelde sleutel opent (tweede stappen resetten, apps een nieuw geheim).',
    help: 'Gebruik: npm run admin -- secret-key status | secret-key reseal\n\nSECRET_KEY is de sleutel waaronder het portaal versleutelt en ondertekent. Een nieuwe sleutel gaat in\ndrie stappen (docs/operations.md, "Rotating the secret key"):\n  1. zet de nieuwe sleutel in SECRET_KEY en de vorige in SECRET_KEYS_OLD, en herstart het portaal: alles\n     nieuws gaat onder de nieuwe sleutel, wat er al is opent nog met de vorige;\n  2. npm run admin -- --env-file ... secret-key reseal: versleutelt de geheimen van authenticatie apps,\n     berichten in de wachtrij, ondertekensleutels, app-geheimen en app-sessies opnieuw onder SECRET_KEY,\n     één transactie per soort, terwijl het portaal draait; nogmaals uitvoeren kan altijd;\n  3. als secret-key status overal 0 onder SECRET_KEYS_OLD toont: haal SECRET_KEYS_OLD weg en herstart.\nsecret-key status verandert niets. Anders dan keys rotate, dat alleen de ondertekensleutels voor\nid_tokens vervangt.\n\nGebruik: npm run admin -- secret-key forget --yes\n\nAlleen als een sleutel echt verloren is: wat alleen die sleutel kon openen, wordt opgegeven, zodat het portaal\nweer start. Accounts met een authenticatie app krijgen een reset van de tweede stap (met e-mail en sms, en\nde wachttijd na een reset), apps een nieuw geheim (hier getoond, één keer), ondertekensleutels worden\nvervangen bij de volgende start, berichten in de wachtrij mislukken. Kan niet ongedaan worden gemaakt.',
    give: 'Geef de opdracht: secret-key status, secret-key reseal of secret-key forget --yes.',
    forgetConfirm: 'Opgeven kan niet ongedaan worden gemaakt. Geef --yes mee om te bevestigen (alleen als de sleutel echt verloren is).',
    forgotten: 'Opgegeven: {accounts} tweede stap(pen) gereset, {clients} app(s) met een nieuw geheim, {keys} ondertekensleutel(s), {outbox} bericht(en), {sessions} app-sessie(s). Geef elke app haar nieuwe geheim.',
    columns: 'SOORT|ONDER SECRET_KEY|ONDER SECRET_KEYS_OLD|ONDER GEEN VAN BEIDE',
    resealColumns: 'SOORT|OPNIEUW VERSLEUTELD|AL ONDER SECRET_KEY|NIET TE OPENEN',
    kinds: {
      totp: 'geheimen van authenticatie apps',
      pendingTotp: 'app-geheimen in afwachting van de eerste code',
      outbox: 'berichten in de wachtrij',
      signingKeys: 'ondertekensleutels (id_tokens)',
      clients: 'app-geheimen (OpenID Connect)',
      oidcSessions: 'app-sessies (OpenID Connect)',
    },
    noOlder: 'SECRET_KEYS_OLD is niet ingesteld: er is niets onder een vorige sleutel.',
    readyToRemove: 'Niets meer onder SECRET_KEYS_OLD: haal SECRET_KEYS_OLD weg en herstart het portaal.',
    olderLeft: 'Nog {count} onder SECRET_KEYS_OLD: voer secret-key reseal uit.',
    unopenable: '{count} geheim(en) opent geen enkele ingestelde sleutel: die blijven onbruikbaar (een tweede stap resetten, een app een nieuw geheim geven).',
    counters: 'Tellers van inlogpogingen verplaatst naar SECRET_KEY: {count}.',
    resealed: 'Klaar: {count} geheim(en) opnieuw versleuteld onder SECRET_KEY.',
  },
  version: {
    line: '{name} {version}{commit}',
    commit: ' (commit {commit})',
  },
}

export const operatorNl = {
  config,
  server,
  startErrors,
  keyCheck,
  cli,
  commands,
}
