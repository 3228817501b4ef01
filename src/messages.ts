// All Dutch copy, keyed. Labels in `label` are part of the interface: the guide and scripts find
// buttons and fields by them, so they change only together with ../shared/SPEC.md.
// One message for every failure that could reveal whether an account exists.

export const label = {
  next: 'Volgende',
  username: 'Gebruikersnaam',
  email: 'E-mailadres',
  phone: 'Telefoonnummer',
  sendCode: 'Stuur verificatiecode',
  verifyCode: 'Verifieer code',
  resendCode: 'Stuur een nieuwe code',
  code: 'Verificatiecode',
  newPassword: 'Nieuw wachtwoord',
  confirmPassword: 'Bevestiging wachtwoord',
  confirmPasswordReset: 'Bevestig het wachtwoord',
  temporaryPassword: 'Tijdelijk wachtwoord (zie e-mail)',
  password: 'Wachtwoord',
  methodApp: 'Met authenticatie app',
  methodEmail: 'Met e-mail',
  appCode: 'Code uit de app',
  continue: 'Doorgaan',
  otherMethod: 'Andere methode kiezen',
  logout: 'Uitloggen',
  forgot: 'Bent u uw wachtwoord vergeten of logt u voor de eerste keer in?',
  disclaimer: 'disclaimer',
  privacy: 'privacy',
} as const

export const text = {
  confidential: 'Let op! U heeft te maken met vertrouwelijke en persoonlijke gezondheidsinformatie.',
  skipToContent: 'Naar de inhoud',

  confirmEmailTitle: 'E-mailadres bevestigen',
  confirmEmailIntro: 'Controleer uw gebruikersnaam en e-mailadres en klik op ‘Volgende’.',
  emailVerifiedTitle: 'Uw e-mailadres is geverifieerd',
  emailVerifiedBody: 'U ontvangt zo een tweede e-mail met een link om verder te gaan. U kunt dit scherm nu sluiten.',
  emailVerifiedHint: 'De tweede link werkt ook in een andere browser of op een ander apparaat.',
  continueTitle: 'Verder met het activeren van uw account',
  continueIntro: 'Klik op ‘Volgende’ om uw telefoonnummer te verifiëren en een wachtwoord in te stellen.',
  linkInvalidTitle: 'Deze link is niet meer geldig',
  linkInvalidBody:
    'De link is verlopen, al gebruikt of vervangen door een nieuwere. Geen probleem: u kunt verder via ‘wachtwoord vergeten / eerste keer inloggen’. Vul uw gebruikersnaam in en klik daarna op de link hieronder. Weet u uw gebruikersnaam niet? Vraag het aan uw behandelaar.',
  linkInvalidAction: 'Naar inloggen',

  accountVerification: 'Accountverificatie',
  phoneIntro: "Verificatie is noodzakelijk. Klik op 'Stuur verificatiecode'.",
  phoneCodeSent:
    "De verificatiecode is verstuurd naar uw telefoon. Kopieer vanuit het verstuurd bericht deze code in het verificatiecodeveld en klik op 'Verifieer code'.",
  codeHint: '6 cijfers, {minutes} minuten geldig.',

  passwordTitle: 'Wachtwoord wijzigen',
  passwordHint: 'Minimaal 12 tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden. Alle tekens zijn toegestaan.',
  passwordUpdated: 'Het wachtwoord is bijgewerkt',

  methodTitle: 'Selecteer MFA methode',
  methodIntro: 'Kies hoe u bij het inloggen bevestigt dat u het bent.',
  methodAppHint: 'Bijvoorbeeld Microsoft Authenticator of Google Authenticator. Het veiligst.',
  methodEmailHint: 'U ontvangt bij elke keer inloggen een code per e-mail.',

  appTitle: 'App koppelen',
  appSteps: [
    'Open de authenticatie app op uw mobiele telefoon.',
    'Tik in de app op het plusteken (+).',
    'Scan de QR-code.',
    'Vul de code in die de app toont en klik op ‘Doorgaan’.',
  ],
  appQrAlt: 'QR-code om uw account toe te voegen aan de authenticatie app',
  appManual: 'Kunt u niet scannen? Voer deze sleutel in de app in:',
  appOpenLink: 'Of open de koppeling direct op deze telefoon',

  homeTitle: 'Mijn Therapie Dossier',
  homeWelcome: 'Welkom, {name}.',
  homePractice: 'Praktijk: {practice}',
  homeLastSignIn: 'Vorige keer ingelogd: {when}',
  homeFirstSignIn: 'Dit is de eerste keer dat u inlogt.',

  signInTitle: 'Inloggen',
  signInIntro: 'Log in bij Mijn Therapie Dossier.',
  passwordIntro: 'Vul uw wachtwoord in.',
  appCodeIntro: 'Open de authenticatie app en vul de code in die de app nu toont.',
  emailCodeIntro: "Klik op 'Stuur verificatiecode'. U ontvangt dan een code per e-mail.",
  emailCodeSent: "De verificatiecode is verstuurd naar uw e-mailadres. Vul de code in en klik op 'Verifieer code'.",
  forgotTitle: 'Wachtwoord vergeten of eerste keer inloggen',
  forgotIntro:
    'Vul uw gebruikersnaam en het e-mailadres in dat bij uw praktijk bekend is. Daarna verifieert u uw telefoonnummer en ontvangt u een tijdelijk wachtwoord per e-mail.',
  resetIntro: 'Vul het tijdelijke wachtwoord uit de e-mail in en kies daarna uw eigen nieuwe wachtwoord.',
  loggedOut: 'U bent uitgelogd.',
  sessionExpired: 'Uw sessie is verlopen. Log opnieuw in.',

  errorSummary: 'Er ging iets mis',
  notFoundTitle: 'Pagina niet gevonden',
  notFoundBody: 'Deze pagina bestaat niet (meer). Controleer het adres of ga naar de startpagina.',
  badRequestTitle: 'Dit verzoek kunnen wij niet verwerken',
  badRequestBody: 'Het formulier bevatte iets wat wij niet verwachtten. Ga terug en probeer het opnieuw.',
  tooLargeTitle: 'Te veel gegevens verstuurd',
  tooLargeBody: 'Het formulier was groter dan wij accepteren. Ga terug en probeer het opnieuw.',
  forbiddenTitle: 'Formulier verlopen',
  forbiddenBody:
    'Dit formulier is verlopen of kwam niet van deze website. Ga terug, laad de pagina opnieuw en probeer het nog eens.',
  unsupportedTitle: 'Onbekend formaat',
  unsupportedBody: 'Stuur het formulier vanaf de pagina zelf.',
  methodNotAllowedTitle: 'Niet toegestaan',
  methodNotAllowedBody: 'Deze actie is op deze pagina niet mogelijk.',
  serverErrorTitle: 'Er ging iets mis aan onze kant',
  serverErrorBody: 'Uw gegevens zijn niet verloren. Probeer het over een paar minuten opnieuw.',
  homeLink: 'Naar de startpagina',

  disclaimerTitle: 'Disclaimer',
  disclaimerDefault:
    'Mijn Therapie Dossier geeft u toegang tot uw eigen gegevens bij uw praktijk. Aan de inhoud kunnen geen rechten worden ontleend. Vragen over uw behandeling bespreekt u met uw behandelaar.',
  privacyTitle: 'Privacy',
  privacyDefault:
    'Uw praktijk is verantwoordelijk voor uw gegevens. Wij bewaren alleen wat nodig is om u veilig te laten inloggen, en leggen vast wie wanneer inlogt. Vragen over privacy stelt u aan uw praktijk.',

  outboxTitle: 'Dev outbox',
  outboxIntro: 'Alleen in ontwikkeling: elke e-mail en sms die het portaal verstuurt, nieuwste eerst.',
  outboxEmpty: 'Nog niets verstuurd.',
} as const

/** Field and form errors. A step maps a domain result to one of these keys. */
export const error = {
  required: 'Vul dit veld in.',
  codeFormat: 'Vul de 6 cijfers van de code in.',
  codeWrong: 'Deze code klopt niet. Controleer de code en probeer het opnieuw.',
  codeExpired: 'Deze code is verlopen. Vraag een nieuwe code aan.',
  codeSpent: 'Deze code is niet meer geldig. Vraag een nieuwe code aan.',
  codeNone: 'Vraag eerst een code aan.',
  codeCooldown: 'U kunt over {seconds} seconden een nieuwe code aanvragen.',
  codeCapped: 'U heeft het maximum aantal codes voor dit uur bereikt. Probeer het over {minutes} minuten opnieuw.',
  appCodeWrong: 'Deze code klopt niet. Vul de code in die de app nu toont.',
  passwordMismatch: 'De wachtwoorden zijn niet gelijk.',
  passwordTooShort: 'Het wachtwoord is te kort: gebruik minimaal 12 tekens (nu {count}).',
  passwordTooLong: 'Het wachtwoord is te lang: gebruik maximaal 256 tekens.',
  passwordContainsUsername: 'Het wachtwoord mag uw gebruikersnaam niet bevatten.',
  passwordContainsName: 'Het wachtwoord mag uw naam niet bevatten.',
  passwordContainsEmail: 'Het wachtwoord mag uw e-mailadres niet bevatten.',
  passwordContainsPractice: 'Het wachtwoord mag de naam van de praktijk of van Mijn Therapie Dossier niet bevatten.',
  passwordCommon:
    'Dit wachtwoord komt voor in lijsten van veelgebruikte of gelekte wachtwoorden, of is makkelijk te raden. Kies iets anders, bijvoorbeeld een zin van een paar woorden.',
  passwordSameAsTemporary: 'Kies een nieuw wachtwoord: het tijdelijke wachtwoord kunt u niet houden.',
  throttled: 'Te veel pogingen. Wacht even en probeer het over {when} opnieuw.',
  signInFailed:
    'De combinatie van gebruikersnaam en wachtwoord klopt niet. Logt u voor de eerste keer in, of weet u uw wachtwoord niet meer? Gebruik dan de link hieronder.',
  temporaryWrong: 'Het tijdelijke wachtwoord klopt niet of is verlopen. Vraag zo nodig een nieuw aan via ‘wachtwoord vergeten’.',
  methodRequired: 'Kies een methode.',
  methodUnavailable: 'Deze methode is niet beschikbaar. Kies een andere.',
} as const

export type ErrorKey = keyof typeof error

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match))
}

const dateTime = new Intl.DateTimeFormat('nl-NL', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Amsterdam',
})
export const formatDateTime = (date: Date) => dateTime.format(date)

/** The mails. Text only: they show the same in every mail program, and links cannot hide behind labels. */
export const mail = {
  invite: (v: { name: string; practice: string; portal: string; username: string; link: string; validUntil: string }) => ({
    subject: `Uw account voor ${v.portal}`,
    text: `Beste ${v.name},

${v.practice} heeft een account voor u aangemaakt in ${v.portal}.

Uw gebruikersnaam is:
${v.username}

Klik op de link hieronder om uw e-mailadres te bevestigen. De link is geldig tot ${v.validUntil}.
${v.link}

Is de link verlopen? Ga dan naar ${v.portal}, vul uw gebruikersnaam in en kies
"Bent u uw wachtwoord vergeten of logt u voor de eerste keer in?".

Heeft u deze e-mail niet verwacht? Neem dan contact op met ${v.practice}.
`,
  }),
  continue: (v: { name: string; portal: string; link: string; validUntil: string }) => ({
    subject: `Ga verder met uw account voor ${v.portal}`,
    text: `Beste ${v.name},

Uw e-mailadres is bevestigd. Met de link hieronder gaat u verder: u verifieert uw telefoonnummer,
stelt een wachtwoord in en kiest hoe u inlogt. De link werkt ook op een ander apparaat en is geldig
tot ${v.validUntil}.
${v.link}

Heeft u dit niet zelf gedaan? Neem dan contact op met uw praktijk.
`,
  }),
  smsCode: (v: { code: string; portal: string; minutes: number }) =>
    `Uw verificatiecode voor ${v.portal} is ${v.code}. De code is ${v.minutes} minuten geldig. Deel deze code met niemand.`,
  emailCode: (v: { name: string; code: string; portal: string; minutes: number }) => ({
    subject: `Uw verificatiecode voor ${v.portal}`,
    text: `Beste ${v.name},

Uw verificatiecode is:
${v.code}

De code is ${v.minutes} minuten geldig. Deel deze code met niemand: medewerkers van de praktijk vragen er nooit om.

Heeft u niet geprobeerd in te loggen? Dan kent iemand anders mogelijk uw wachtwoord. Wijzig het en
neem contact op met uw praktijk.
`,
  }),
  temporaryPassword: (v: { name: string; portal: string; password: string; minutes: number }) => ({
    subject: `Uw tijdelijke wachtwoord voor ${v.portal}`,
    text: `Beste ${v.name},

U heeft gevraagd om een nieuw wachtwoord. Uw tijdelijke wachtwoord staat op de regel hieronder:

${v.password}

Vul het in bij "Tijdelijk wachtwoord (zie e-mail)" en kies daarna uw eigen nieuwe wachtwoord.
Het tijdelijke wachtwoord is ${v.minutes} minuten geldig en werkt maar één keer.

Heeft u dit niet zelf gevraagd? Dan hoeft u niets te doen: zonder uw telefoon en deze e-mail kan
niemand uw wachtwoord wijzigen. Neem bij twijfel contact op met uw praktijk.
`,
  }),
  passwordChanged: (v: { name: string; portal: string; practice: string }) => ({
    subject: `Uw wachtwoord voor ${v.portal} is gewijzigd`,
    text: `Beste ${v.name},

Het wachtwoord van uw account is zojuist gewijzigd. Op andere apparaten bent u uitgelogd.

Heeft u dit niet zelf gedaan? Neem dan direct contact op met ${v.practice}.
`,
  }),
  locked: (v: { name: string; portal: string; practice: string }) => ({
    subject: `Uw account voor ${v.portal} is vergrendeld`,
    text: `Beste ${v.name},

Er is heel vaak een verkeerd wachtwoord of een verkeerde code ingevoerd voor uw account. Om uw gegevens
te beschermen is uw account daarom vergrendeld.

Was u dit zelf? Kies dan op de inlogpagina "Bent u uw wachtwoord vergeten of logt u voor de eerste keer
in?" om een nieuw wachtwoord in te stellen; daarmee wordt uw account weer vrijgegeven. U kunt ook
${v.practice} vragen om het account te ontgrendelen.

Was u dit niet? Dan probeert iemand anders in te loggen met uw gebruikersnaam. Uw gegevens zijn veilig.
Neem contact op met ${v.practice}, en stel voor de zekerheid een nieuw wachtwoord in.
`,
  }),
  mfaEnrolled: (v: { name: string; portal: string; method: string }) => ({
    subject: `Tweede stap ingesteld voor ${v.portal}`,
    text: `Beste ${v.name},

Voor uw account is zojuist ingesteld hoe u bij het inloggen bevestigt dat u het bent: ${v.method}.

Heeft u dit niet zelf gedaan? Neem dan direct contact op met uw praktijk.
`,
  }),
} as const
