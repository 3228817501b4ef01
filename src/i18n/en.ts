// The English catalogue (issue 14): the same keys and placeholders as the Dutch one (src/i18n/nl.ts, the
// reference; checked by the compiler and test/i18n.test.ts). Written for people in plain British English,
// not translated word for word. Labels in `label` are part of the interface: tests find buttons and fields
// by them, and texts that name a button quote the label exactly as written here. One message for every
// failure that could reveal whether an account exists.
import type { Catalogue } from '../messages.ts'

const label = {
  next: 'Next',
  username: 'Username',
  email: 'Email address',
  phone: 'Phone number',
  sendCode: 'Send verification code',
  verifyCode: 'Verify code',
  resendCode: 'Send a new code',
  code: 'Verification code',
  newPassword: 'New password',
  confirmPassword: 'Confirm password',
  confirmPasswordReset: 'Confirm new password',
  temporaryPassword: 'Temporary password (see email)',
  password: 'Password',
  methodApp: 'With an authenticator app',
  methodEmail: 'By email',
  appCode: 'Code from the app',
  continue: 'Continue',
  otherMethod: 'Choose another method',
  logout: 'Sign out',
  security: 'Security',
  currentPassword: 'Current password',
  changePassword: 'Change password',
  changeSecondFactor: 'Change second step',
  reenrollApp: 'Set up a new app',
  switchToEmail: 'Switch to email',
  switchToApp: 'Switch to the authenticator app',
  signOutOthers: 'Sign out of all other devices',
  cancel: 'Cancel',
  startAgain: 'Start again',
  noPhone: 'I do not have my phone',
  recoveryCode: 'Recovery code',
  signInWithRecoveryCode: 'Sign in with recovery code',
  recoveryCodes: 'Recovery codes',
  makeRecoveryCodes: 'Create recovery codes',
  makeNewRecoveryCodes: 'Create new recovery codes',
  forgot: 'Forgotten your password, or signing in for the first time?',
  disclaimer: 'disclaimer',
  privacy: 'privacy',

  // The practice's pages (/praktijk)
  name: 'Name',
  mobile: 'Mobile number',
  invite: 'Invite',
  newPatient: 'New client',
  newStaff: 'New staff member',
  role: 'Role',
  roleBeheerder: 'Administrator',
  roleBehandelaar: 'Therapist',
  search: 'Search',
  searchField: 'Search by name, username or email address',
  patients: 'Clients',
  staff: 'Staff',
  auditLog: 'Audit log',
  resendInvite: 'Resend invitation',
  changeEmail: 'Change email address',
  changePhone: 'Change mobile number',
  newEmail: 'New email address',
  newMobile: 'New mobile number',
  resetMfa: 'Reset second step',
  unlock: 'Unlock',
  deactivate: 'Deactivate',
  activate: 'Activate',
  erase: 'Delete',
  makeAdmin: 'Make administrator',
  makeTherapist: 'Make therapist',
  backToAccount: 'Go back without changing anything',
  filter: 'Filter',
  eventType: 'Event',
  allEvents: 'All events',
  periodFrom: 'From (date)',
  periodUntil: 'Up to and including (date)',
  nextPage: 'Next page',
  previousPage: 'Previous page',
  suggestUsername: 'Suggest a username',

  // Issue 14: the language of the pages, mails and SMS.
  changeLanguage: 'Change language',
  saveLanguage: 'Save language',
  // issue 14: practice side
  language: 'Language',
} as const

const text = {
  confidential: 'Please note: you are dealing with confidential and personal health information.',
  skipToContent: 'Skip to content',
  /** Before the page title and each field error, for screen readers: "Error: Sign in". */
  errorWord: 'Error',

  confirmEmailTitle: 'Confirm your email address',
  confirmEmailIntro: 'Check your username and email address, then click ‘Next’.',
  emailVerifiedTitle: 'Your email address has been verified',
  emailVerifiedBody: 'You will shortly receive a second email with a link to continue. You can close this page now.',
  emailVerifiedHint: 'The second link also works in a different browser or on a different device.',
  continueTitle: 'Continue setting up your account',
  continueIntro: 'Click ‘Next’ to verify your phone number and set a password.',
  linkInvalidTitle: 'This link no longer works',
  linkInvalidBody:
    'The link has expired, has already been used or has been replaced by a newer one. Don’t worry: choose ‘Forgotten your password, or signing in for the first time?’ to carry on where you left off. You will enter your username and email address, verify your phone number and get a temporary password by email.',
  linkInvalidAction: 'Go to sign in',
  // Issue 12: a way back in from every page.
  linkInvalidSecondMail:
    'Have you already used the link in the second email (‘Continue setting up your account’)? It only works once; you can also carry on below in that case.',
  linkInvalidUsername: 'Don’t know your username? It is in the first email from your practice, or you can ask your therapist.',
  alreadyActiveTitle: 'Your account is already active',
  alreadyActiveBody:
    'You have already activated your account; you no longer need this link, and nothing has been sent. Sign in with your username, password and second step.',
  resumeLink: 'Back to where you were',
  resumeNoticeOnboarding: 'You were in the middle of activating your account.',
  resumeNoticeReset: 'You were in the middle of setting a new password.',
  resumeNoticeSignIn: 'You were in the middle of signing in.',
  sessionExpiredForgot:
    'Were you activating your account or setting a new password? Enter your username and then choose ‘Forgotten your password, or signing in for the first time?’, or use the link below.',
  forgotBack: 'Check your username and email address and correct them if needed. If they are right and you don’t recognise the phone number, please contact your practice.',
  phoneNotMine: 'Don’t recognise this number, or not getting a text message?',
  phoneNoSmsReset:
    'No text message within a few minutes? Then check that your username and email address are right. If they are, your account may not be recoverable this way, for example because it has been deactivated: please contact your practice.',
  contactPractice: 'Please contact {practice}{contact}.',
  temporaryAgain: 'Request a new temporary password',
  lostPhoneTitle: 'Lost your phone, or got a new one?',
  lostPhoneNew:
    'A new phone, and the old one still works? Then sign in with the code from the app on the old phone and set up the new one under Security, Change second step.',
  lostPhoneRecovery: 'Lost your phone? If you created recovery codes, choose ‘I do not have my phone’ and sign in with a recovery code.',
  recoveryNone:
    'No recovery codes? Then your practice can reset your second step; after that you sign in with your password and a text message code and set up a new app.',
  recoveryIntro: 'Enter one of your recovery codes, with or without the dashes. Each code works once.',
  recoveryCodeHint: '16 letters and digits, such as K7QM-2X9D-4HTP-8WNC.',
  recoveryBackToApp: 'Use the code from the app after all',
  recoveryExplain:
    'A recovery code lets you sign in when you do not have the phone with your authenticator app to hand, for example because you lost it. You get ten codes; each code works once. Keep them on paper or in a password manager, not on the same phone.',
  recoveryStatusNone: 'You do not have any recovery codes yet.',
  recoveryStatusSome: 'You have {left} of the {total} recovery codes left, created on {when}.',
  recoveryReplaceWarning: 'If you create new recovery codes, the old ones stop working.',
  recoveryNewTitle: 'Your recovery codes',
  recoveryNewIntro:
    'These are your ten recovery codes. You only see them now: print this page or write the codes down, and keep them somewhere safe. Each code works once.',
  recoveryPrintHint: 'To print: choose Print in your browser’s menu (or Ctrl+P). The paper shows only the codes and the explanation.',
  recoveryUsedTitle: 'Signed in with a recovery code',
  recoveryUsedBody: 'You signed in with a recovery code. That code will not work again; you have {left} left. You will get an email about this.',
  recoveryUsedAsk: 'Have you lost your phone, or got a new one? Then set up a new app now, so that you can sign in with the code from the app again.',
  recoveryUsedFew: 'You only have a few recovery codes left.',
  recoveryUsedLater: 'Later: carry on without a new app',
  homeRecoveryTip: 'Tip: create recovery codes. They let you sign in if you lose your phone.',
  wayOutTitle: 'Not working?',
  wayOutIntro: "Click 'Start again' to sign in again with your username and password. Not sure of your password? Then set a new one.",
  wayOutHidden: 'Is the code right, yet still refused? Then perhaps your password was mistyped.',
  phoneUnsendable:
    'The portal cannot send text messages to the mobile number on your account, so you cannot continue here. Ask your practice to set a mobile number from {countries}.',

  accountVerification: 'Account verification',
  phoneIntro: "We need to verify your phone number. Click 'Send verification code'.",
  phoneCodeSent:
    "We have sent a verification code to your phone. Copy the code from the text message into the verification code field and click 'Verify code'.",
  codeSentTo: 'The code was sent on {when} to {to}.',
  codeResentTo: 'A new code was sent on {when} to {to}. Only the newest code works.',
  yourEmailAddress: 'your email address',
  codeHint: '6 digits, valid for {minutes} minutes.',
  undeliveredTitle: 'Messages not delivered',
  undeliveredIntro: 'These messages have not reached the client yet. Check the email address or mobile number; the client can request a new code.',
  undeliveredRetrying: 'created {when}, attempts: {attempts}; will be tried again',
  undeliveredFailed: 'created {when}, attempts: {attempts}; given up',
  messageKinds: {
    invite: 'invitation',
    continue: 'second email',
    'phone-code': 'verification code',
    'mfa-code': 'sign-in code',
    'temporary-password': 'temporary password',
  },
  deliveryRetrying: 'Sending is not working at the moment. We will keep trying automatically; this may take a few minutes.',
  deliveryFailed:
    "Sending did not work. Click 'Send a new code' to try again. If that still does not work, please contact your practice.",

  passwordTitle: 'Change password',
  passwordHint: 'At least 12 characters. A sentence of a few words is strong and easy to remember. All characters are allowed.',
  passwordUpdated: 'Your password has been updated',

  methodTitle: 'Choose your second step',
  methodIntro:
    'When you sign in, after your password we ask for a second step: a code that only you can get. That way nobody can reach your details with just your password. Choose how you would like to get that code.',
  methodAppHint: 'For example Microsoft Authenticator or Google Authenticator. The most secure option.',
  methodEmailHint: 'You receive a code by email each time you sign in.',

  appTitle: 'Set up the app',
  appIntro: 'Set up an authenticator app, such as Microsoft Authenticator or Google Authenticator. Don’t have one yet? Install one first from your phone’s app store.',
  appOnComputerHeading: 'Are you viewing this page on a computer or tablet?',
  appSteps: [
    'Open the authenticator app on your mobile phone.',
    'In the app, tap the plus sign (+).',
    'Scan the QR code below.',
  ],
  appQrAlt: 'QR code to add your account to the authenticator app. Cannot scan or see the QR code? Then use the key below.',
  appOnPhoneHeading: 'Are you viewing this page on the phone with the app?',
  appOnPhoneIntro: 'You cannot scan a QR code with the phone itself. Tap the button: the app opens and adds your account.',
  appOpenLink: 'Open the authenticator app',
  appManual: 'App not opening? In the app, tap the plus sign (+), choose to enter a key (or ‘enter code manually’) and type in this key:',
  appCodeHeading: 'Then: the code from the app',
  appCodeHint: 'Enter the 6-digit code that the app is showing now and click ‘Continue’.',

  homeTitle: 'Mijn Therapie Dossier',
  homeWelcome: 'Welcome, {name}.',
  homePractice: 'Practice: {practice}{contact}',
  /** Issue 20: a page before the patient is proven names no practice (SPEC.md section 9). */
  yourPractice: 'your practice',
  homeLastSignIn: 'Last signed in: {when}',
  homeFirstSignIn: 'This is the first time you have signed in.',

  signInTitle: 'Sign in',
  signInTitleApp: 'Sign in to {app}',
  forAppLine: 'You are signing in to {app}.',
  signInIntro: 'Sign in to Mijn Therapie Dossier.',
  passwordIntro: 'Enter your password.',
  appCodeIntro: 'Open the authenticator app and enter the code it is showing now.',
  emailCodeIntro: "Click 'Send verification code'. You will then receive a code by email.",
  emailCodeSent: "We have sent the verification code to your email address. Enter the code and click 'Verify code'.",
  forgotTitle: 'Forgotten password or first time signing in',
  forgotIntro:
    'Enter your username and the email address your practice has for you. After that, you verify your phone number and receive a temporary password by email.',
  resetIntro: 'Enter the temporary password from the email, then choose your own new password.',
  loggedOut: 'You have signed out.',
  sessionExpired: 'Your session has expired. Please sign in again.',

  errorSummary: 'Something went wrong',
  notFoundTitle: 'Page not found',
  notFoundBody: 'This page does not exist, or no longer exists. Check the address or go to the home page.',
  badRequestTitle: 'We cannot process this request',
  badRequestBody: 'The form contained something we did not expect. Go back and try again.',
  tooLargeTitle: 'Too much data sent',
  tooLargeBody: 'The form was larger than we accept. Go back and try again.',
  timeoutTitle: 'This took too long',
  timeoutBody: 'Your connection did not send the request in time. Nothing was saved. Go back and try again.',
  headersTooLargeTitle: 'Too many cookies or too much data',
  headersTooLargeBody: 'Your browser sent more than we accept. Delete the cookies of this website and try again.',
  forbiddenTitle: 'Form expired',
  forbiddenBody:
    'This form has expired or did not come from this website. Go back, reload the page and try again.',
  unsupportedTitle: 'Unknown format',
  unsupportedBody: 'Please send the form from the page itself.',
  methodNotAllowedTitle: 'Not allowed',
  methodNotAllowedBody: 'This action is not possible on this page.',
  serverErrorTitle: 'Something went wrong on our side',
  serverErrorBody: 'Your details have not been lost. Please try again in a few minutes.',
  homeLink: 'Go to the home page',

  // Issue 24 #2 (WCAG 2.2.1): how long a step allows, and what happens after.
  stepTime:
    'Take your time, but after {minutes} minutes without activity we stop this step to protect your account. What you have completed is kept; you would type a password or code again.',
  staffFormTime:
    'After {minutes} minutes without activity you are signed out. If you send this form after that, we keep what you filled in: once you have signed in again, it is here again.',
  sessionExpiredAfter: 'This happens after {minutes} minutes without activity, to protect your details. What you had completed is kept: sign in again and you carry on where you were.',
  draftKept: 'The form you sent was not processed, but it was kept: sign in again and it will be filled in again.',
  draftRestored: 'You had filled this in before your session expired; nothing has been created yet. Check it and choose ‘Invite’.',

  // Issue 24 #3: the accessibility statement (/toegankelijkheid), in the shape of the Dutch model
  // statement. Read before any proof: it names no practice.
  statementTitle: 'Accessibility statement',
  statementIntro:
    'Everyone should be able to use {portal}: with a keyboard alone, with a screen reader, zoomed to 200%, on a small screen, in a text browser and without JavaScript. This statement covers every page of the portal: the invitation and activation, signing in, forgotten password, Security and the pages for the practice’s staff, and the emails and text messages the portal sends.',
  statementStandardHeading: 'Standard',
  statementStandard: 'We test against the Web Content Accessibility Guidelines (WCAG) 2.2, levels A and AA: the standard of the European norm EN 301 549.',
  statementStatusHeading: 'Compliance status',
  statementStatus:
    '{portal} partially complies with WCAG 2.2 level AA. Everything a browser can measure is tested with every change and complies. What only people can judge (how a screen reader speaks the pages, use with a switch device) has been checked by hand and reasoned through, but not yet tested by an independent expert or by people who use assistive technology. That is why we do not say the portal fully complies.',
  statementCheckedHeading: 'How was this checked?',
  statementChecked: 'Last checked on {date}, with tests that run with every change to the portal, in Dutch and in English, in a real browser (Chromium) with JavaScript off:',
  statementChecks: [
    'axe-core on every screen (the rules of WCAG 2.2 A and AA);',
    'keyboard only: the tab order follows the order on the screen, every button and link works with Tab and Enter, the focus is always visible and you never get stuck;',
    'what a screen reader gets: one main heading per page, the header, content and footer regions, and for every button, link and field a name that contains its visible text;',
    'after an error the page title starts with ‘Error:’ and a summary with links to the fields comes first;',
    'no horizontal scrolling on a screen 320 pixels wide and at 200% zoom, and nothing cut off with more space between lines, paragraphs, letters and words;',
    'the contrast of every colour pair (text at least 4.5:1; large text, the borders of buttons and fields and the focus outline at least 3:1);',
    'the language of the page and of the link to the other language;',
    'time limits: a step says how much time you have, and when it has run out a page says so and how to carry on;',
    'every text message fits in one message, even with the longest names.',
  ],
  statementDeviationsHeading: 'Known issues',
  statementDeviations: [
    'A verification code is valid for {codeMinutes} minutes and cannot be extended, for security. You can always have a new code sent with ‘Send a new code’.',
    'An activation or sign-in you do not finish stops after {idleMinutes} minutes without activity and after {absoluteMinutes} minutes in all; once signed in, the session stops after {sessionMinutes} minutes without activity. We do not keep a password or code then. The page says how much time you have; afterwards you sign in again and carry on at the step where you were.',
    'The QR code for the authenticator app is an image. If you cannot scan it, use the link to the app on the phone itself, or type in the key shown below it.',
  ],
  statementReportHeading: 'Reporting a problem',
  statementReport: 'Is there something you cannot use, or do you see an accessibility problem? Please tell us: {contact}. Say which page it was on and what you were using (a screen reader or zoom, for example).',
  statementReportPractice: 'Is there something you cannot use, or do you see an accessibility problem? Please tell your practice; they will pass it on to the portal’s administrator. Say which page it was on and what you were using (a screen reader or zoom, for example).',
  /** The footer link on every page. */
  statementLink: 'Accessibility',

  disclaimerTitle: 'Disclaimer',
  disclaimerDefault:
    'Mijn Therapie Dossier gives you access to your own details held by your practice. No rights can be derived from its content. Please discuss questions about your treatment with your therapist.',
  privacyTitle: 'Privacy',
  privacyDefault:
    'Your practice is responsible for your details. We keep only what is needed to let you sign in safely, and we record who signs in and when. Please ask your practice any questions about privacy.',

  outboxTitle: 'Dev outbox',
  outboxIntro: 'Development only: every email and text message the portal sends, newest first.',
  outboxEmpty: 'Nothing sent yet.',

  practiceTitle: 'Practice',
  practiceNav: 'Practice menu',
  patientsIntro: 'For each client you can see how far they have got with signing up, when the invitation expires and when they last signed in.',
  patientsEmpty: 'No clients found.',
  staffEmpty: 'No staff members found.',
  listCount: '{count} found.',
  pageOf: 'Page {page} of {pages}.',
  newPatientIntro: 'The client receives an email from the practice with their username and a link to activate the account.',
  newStaffIntro: 'The staff member receives an invitation, sets a password and sets up an authenticator app.',
  nameHint: 'First name and surname, as they should appear in the email.',
  emailHint: 'The invitation is sent here.',
  mobileHint: 'For example 06-12341361 or +31612341361. The code by text message is sent to this number.',
  usernameHint: 'Suggested from the name; you may change it. 3 to 32 characters: letters, digits, full stop or hyphen.',
  usernameHintEmpty: 'Leave empty for a suggestion based on the name. 3 to 32 characters: letters, digits, full stop or hyphen.',
  roleBeheerderHint: 'Manages staff and clients.',
  roleBehandelaarHint: 'Manages clients.',
  colStatus: 'Status',
  colUsername: 'Username',
  colEmail: 'Email address',
  colMobile: 'Mobile number',
  colRole: 'Role',
  colInvitation: 'Invitation valid until',
  colLastSignIn: 'Last signed in',
  colCreated: 'Created',
  colNextStep: 'Next step',
  colEmailVerified: 'Email verified',
  colPhoneVerified: 'Phone verified',
  colPasswordSet: 'Password set',
  colSecondFactor: 'Second step',
  colRecoveryCodes: 'Recovery codes',
  recoveryCodesNone: 'none',
  recoveryCodesLeft: '{left} of {total} unused, created on {when}',
  colDeactivated: 'Deactivated',
  colLocked: 'Locked',
  lockedPassword: 'the password (too many wrong passwords)',
  lockedSecondStep: 'the second step (too many wrong codes)',
  lockedBoth: 'the password and the second step',
  never: 'never',
  notYet: 'not yet',
  noInvitation: 'no open invitation',
  expiredOn: 'expired on {when}',
  factorApp: 'authenticator app, since {when}',
  factorEmail: 'code by email, since {when}',
  roleNames: { patient: 'client', behandelaar: 'therapist', beheerder: 'administrator' },
  statusLabels: {
    invited: 'invited',
    'email-verified': 'email verified',
    'phone-verified': 'phone verified',
    'password-set': 'password set',
    active: 'active',
    locked: 'locked',
    deactivated: 'deactivated',
    erased: 'deleted',
  },
  nextSteps: {
    invited: 'Wait for the client to open the link in the invitation (Step 1).',
    invitedExpired: 'The invitation has expired. Send a new invitation.',
    'email-verified': 'The email address has been confirmed. The client continues with the link in the second email and verifies their phone number (Step 2).',
    'phone-verified': 'The phone number has been verified. The client still has to set a password (Step 3).',
    'password-set': 'The password has been set. The client still has to set up the second step (Steps 4 and 5).',
    active: 'None: the account is ready to use.',
    locked: 'Too many failed attempts. Unlock the account if the client asks you to.',
    deactivated: 'The account has been deactivated: signing in is not possible.',
    erased: 'The account has been deleted.',
  },
  pendingLabels: {
    email: 'Confirms the new email address with a code the next time they sign in.',
    phone: 'Verifies the mobile number with a text message code the next time they sign in.',
    mfa: 'Sets up the second step again the next time they sign in.',
  },
  pendingMfaWait: 'Can set up a new second step only from {when} (waiting period after the reset); then when they sign in.',
  nextStepFactorWait: 'Waiting: the second step has been reset. From {when} the client sets up a new second step when they sign in.',
  nextStepPending: 'The next time they sign in, the client confirms what the practice has changed (see below).',
  factorWait: 'reset; a new one from {when}',
  colForgotWait: 'Forgotten password',
  forgotWait: 'works again from {when} (waiting period after the change of email address or mobile number)',
  confirmResetMfaWait:
    'The authenticator app or email code of {name} will then stop working. To protect the account, {name} can only set up a new second step from {when} (if you reset now): then, when signing in, {name} verifies their phone number by text message and sets up the second step again. Open sessions are ended, at the apps too, and {name} is told by email and text message.',
  confirmContactWait: 'To protect the account, ‘forgotten password’ will then only work again from {when} (if you change it now); signing in with the password and the second step works as usual.',
  doneResetMfaWait: 'The second step has been reset. {name} can set up a new second step from {when}.',
  doneContactWait: '‘Forgotten password’ works again for this account from {when}.',
  accountActions: 'Actions',
  accountAudit: 'Audit log of this account',
  auditMore: 'Full audit log of this account',
  confirmResend: 'A new invitation will be sent to {email}. The previous link will then stop working.',
  confirmEmailOnboarding: 'The current address is {email}. The invitation will be sent again to the new address; earlier links will stop working.',
  confirmEmailActive: 'The current address is {email}. The client confirms the new address with a code by email the next time they sign in. Both addresses are notified.',
  confirmPhone: 'The current number ends in {last4}. At the next step, or the next time they sign in, the client verifies the new number with a text message code.',
  confirmResetMfa: 'The authenticator app or email code of {name} will then stop working. The next time they sign in, {name} verifies their phone number by text message and sets up the second step again. Open sessions are ended and an email is sent to {name}.',
  confirmUnlockPassword: 'Signing in with the password is locked after too many wrong passwords. Once unlocked, {name} can sign in again with the right password.',
  confirmUnlockSecondStep: 'The second step is locked after too many wrong codes. Once unlocked, {name} can sign in again with the password and the right code.',
  confirmUnlockBoth: 'Both the password and the second step are locked after too many failed attempts. Once unlocked, {name} can sign in again.',
  confirmUnlockFree: 'The account is not locked at the moment. Unlocking also clears any waiting time after failed attempts.',
  confirmDeactivate: '{name} will then no longer be able to sign in; open sessions are ended straight away. You can activate the account again later.',
  confirmActivate: '{name} will then be able to sign in again.',
  confirmMakeAdmin: '{name} becomes an administrator: manages staff as well, and reads the whole audit log. This applies at once, also in an open session.',
  confirmMakeTherapist: '{name} becomes a therapist: manages patients only, no longer the staff. This applies at once, also in an open session.',
  confirmErase: 'The name, username, email address and mobile number of {name} will be erased, as will sessions, codes, links and messages. This cannot be undone. The audit log keeps only the account number.',
  doneCreated: 'Invitation sent to {email}, valid until {until}.',
  doneResent: 'New invitation sent, valid until {until}.',
  doneEmail: 'The email address has been changed.',
  doneEmailInvited: 'The email address has been changed and a new invitation has been sent.',
  donePhone: 'The mobile number has been changed.',
  doneResetMfa: 'The second step has been reset.',
  doneUnlock: 'Nothing was locked; any waiting time has been cleared.',
  doneUnlockPassword: 'The password has been unlocked: signing in works again.',
  doneUnlockSecondStep: 'The second step has been unlocked: signing in works again.',
  doneUnlockBoth: 'The password and the second step have been unlocked: signing in works again.',
  doneDeactivate: 'The account has been deactivated.',
  doneActivate: 'The account is active again.',
  doneRole: 'The role has been changed: {role}.',
  doneErase: 'The account has been deleted.',
  auditIntro: 'Security events, newest first. They never contain passwords, codes or links.',
  dateHint: 'For example 2-3-2026 (day-month-year).',
  auditEmpty: 'No events found.',
  auditAccount: 'Account',
  auditActor: 'By',
  auditOutcome: 'Outcome',
  auditWhen: 'Time',
  auditIp: 'IP address',
  auditBrowser: 'Browser',
  auditDetail: 'Details',
  auditErasedAccount: 'deleted account #{id}',
  auditUnknownAccount: 'unknown',
  actorSelf: 'the account itself',
  actorSystem: 'system',
  actorCli: 'administrator via the command line',
  actorStaff: 'staff member {who}',
  outcomeLabels: { success: 'succeeded', failure: 'failed', info: 'info' },
  auditEvents: {
    invite: 'Invitation sent',
    link_opened: 'Link opened',
    link_rejected: 'Invalid link',
    email_verified: 'Email address verified',
    code_sent: 'Code sent',
    code_refused: 'Code not sent',
    code_failed: 'Wrong code',
    phone_verified: 'Phone number verified',
    password_set: 'Password set',
    password_rejected: 'Password refused',
    mfa_chosen: 'Method chosen',
    mfa_enrolled: 'Second step set up',
    mfa_failed: 'Second step failed',
    sign_in: 'Signed in',
    sign_in_failed: 'Sign-in failed',
    lockout: 'Locked',
    logout: 'Signed out',
    session_expired: 'Session expired',
    account_created: 'Account created',
    record_viewed: 'Account viewed',
    reset_started: 'Forgotten password started',
    temporary_password_sent: 'Temporary password sent',
    sessions_ended: 'Sessions ended',
    password_changed: 'Password changed',
    mfa_changed: 'Second step changed',
    email_changed: 'Email address changed',
    phone_changed: 'Mobile number changed',
    mfa_reset: 'Second step reset',
    account_unlocked: 'Unlocked',
    account_deactivated: 'Deactivated',
    account_activated: 'Activated',
    account_erased: 'Deleted',
    // Issue 11 #13: list views and searches, and reading the log itself.
    list_viewed: 'List viewed or searched',
    cooling_off: 'Refused: waiting time after a change by the practice',
    practice_added: 'Practice added',
    practice_changed: 'Practice changed',
    oidc_wrong_practice: 'Refused: an app of another practice',
    audit_viewed: 'Audit log viewed',
    attempt_refused: 'Attempt refused (too many attempts)',
    password_guessing: 'Many wrong passwords: hidden mode',
    sms_budget_reached: 'Text message limit reached',
    // OpenID Connect: the practice's apps.
    oidc_client_added: 'App registered',
    oidc_client_removed: 'App removed',
    oidc_client_secret_rotated: 'App secret renewed',
    oidc_keys_rotated: 'Signing keys renewed',
    oidc_authorization: 'Signed in to an app',
    oidc_consent: 'Consent given to an app',
    oidc_backchannel_logout: 'Signed out of an app',
    oidc_request_budget_reached: 'App sign-in limit reached',
    oidc_sign_ins_ended: 'App sign-ins ended',
    recovery_codes_created: 'Recovery codes created',
    recovery_code_used: 'Signed in with a recovery code',
    secret_unreadable: 'Secret could not be opened (key missing)',
    secrets_resealed: 'Secrets encrypted again',
    secrets_forgotten: 'Secrets of a lost key given up',
    audit_adopted: 'Audit rows of an older version adopted',
    role_changed: 'Role changed',
  } as Record<string, string>,

  // Issue 11 #13: a practice page opened from a link outside the portal records nothing until the
  // staff member opens it from here.
  openFromOutsideTitle: 'Open page',
  openFromOutside:
    'You came here through a link from outside the portal. Opening this page is recorded in the audit log, so please open it yourself with the link below.',
  openFromOutsideLink: 'Open page',

  // Issue 11 #10: the cooling-off after a change by staff (domain/cooling-off.ts).
  coolingOffTitle: 'Please wait a while',
  coolingOffReset:
    'Your practice recently changed your email address or mobile number. To protect your account, ‘forgotten password’ will only work again from {when}. If you still know your password, you can simply sign in. If you did not ask for the change, or if you have any questions, please call {practice}{contact}.',
  coolingOffFactor:
    'Your practice recently reset your second step. To protect your account, you can only set up a new second step from {when}; please sign in again then. If you did not ask for the reset, or if you have any questions, please call {practice}{contact}.',
  securityCoolingOff:
    'Your practice recently reset your second step. To protect your account, you can only set up a new second step from {when}. If you did not ask for the reset, or if you have any questions, please call {practice}{contact}.',
  coolingOffBack: 'Go to sign in',

  verifyEmailIntro: "Your practice has changed your email address to {email}. Click 'Send verification code'; you will then receive a code at that address.",
  verifyEmailSent: "We have sent the verification code to {email}. Enter the code and click 'Verify code'.",

  securityTitle: 'Security',
  securityIntro: 'Here you can change how you sign in. For every change we ask for your current password.',
  securityPasswordIntro: 'Enter your current password and choose a new one. You will then be signed out on other devices.',
  securityBackToOverview: 'Back to Security',
  securityBack: 'Back to Mijn Therapie Dossier',
  securityPasswordHeading: 'Change password',
  securityFactorHeading: 'Second step',
  securityFactorApp: 'When you sign in, you confirm it is you with the code from the authenticator app.',
  securityFactorEmail: 'When you sign in, you confirm it is you with a code by email.',
  securityFactorNote: 'Your current second step stays active until you have confirmed the new one with a code.',
  securityFactorChoice: 'What would you like to do?',
  securitySignInsHeading: 'Recent sign-in attempts',
  securitySignInsIntro: 'If you see an attempt you don’t recognise, change your password and contact your practice.',
  securitySignInsEmpty: 'No sign-in attempts yet.',
  securitySignInsWhen: 'Time',
  securitySignInsBrowser: 'Browser',
  securitySignInsResult: 'Result',
  securitySignInOk: 'Succeeded',
  securitySignInWrongPassword: 'Failed: password',
  securitySignInWrongCode: 'Failed: second step',
  securitySessionsHeading: 'Sign out of other devices',
  securitySessionsIntro: 'Are you still signed in somewhere else, for example on someone else’s computer? Sign out there from here. You stay signed in on this device.',
  securityAppTitle: 'Set up a new app',
  securityAppRemoveOld:
    'Once set up, the old app no longer works. Afterwards remove the old entry ‘{portal} ({username})’ from the app on your old phone, or from the same app if it then lists two.',
  securityEmailTitle: 'Switch to email',
  securityEmailSent: "We have sent a verification code to your email address. Enter the code and click 'Verify code'. Until then, the authenticator app remains your second step.",
  noticePasswordChanged: 'Your password has been changed. You have been signed out on other devices.',
  noticeFactorApp: 'Your second step has been changed: from now on you sign in with the code from the authenticator app.',
  noticeFactorEmail: 'Your second step has been changed: from now on you sign in with a code by email.',
  noticeFactorCancelled: 'The change has been cancelled. Your second step has not changed.',
  noticeFactorExpired: 'The change took too long and has been stopped. Your second step has not changed. Start again if you need to.',
  noticeSessionsNone: 'You were not signed in on any other devices.',
  noticeSessionsOne: 'You have been signed out on 1 other device.',
  noticeSessionsMany: 'You have been signed out on {count} other devices.',
  browserOn: '{browser} on {system}',
  browserUnknown: 'Unknown browser',

  // Issue 14: the language of the pages, mails and SMS.
  languageTitle: 'Language',
  languageNow: 'Language of your pages, emails and text messages: {language}.',
  languageIntro: 'In which language would you like to see the portal’s pages and receive your emails and text messages?',
  noticeLanguage: 'Your language has been saved.',
  // issue 14: practice side
  languageHint: 'The language of the invitation and of every email, text message and page after it.',
  languageNames: { nl: 'Dutch', en: 'English' },
  colLanguage: 'Language',
  channelEmail: 'Email',
  channelSms: 'Text message',
  undeliveredWhat: '{channel} ({kind}) to {to}',
  outboxHeading: '{channel} to {to}',
  outboxFrom: 'From',
  outboxSubject: 'Subject',
  outboxTime: 'Time',
  outboxStatus: 'Status',
} as const

/** Field and form errors. A step maps a domain result to one of these keys. */
const error = {
  required: 'Please fill in this field.',
  usernameShape: 'A username consists of letters, digits, full stops, hyphens or an @. Please check what you entered.',
  codeFormat: 'Enter the 6 digits of the code.',
  codeWrong: 'This code is not right. Check the code and try again.',
  codeExpired: 'This code has expired. Request a new code.',
  codeSpent: 'This code is no longer valid. Request a new code.',
  codeNone: 'Request a code first.',
  codeCooldown: 'You can request a new code in {seconds}.',
  codeCapped: 'You have reached the maximum number of codes for this hour. Try again in {minutes}.',
  codeAccountCapped: 'Too many codes have been requested for this account in the last hour. Try again in {minutes}.',
  appCodeWrong: 'This code is not right. Enter the code that the app is showing now.',
  passwordMismatch: 'The passwords do not match.',
  passwordTooShort: 'The password is too short: use at least 12 characters (you used {count}).',
  passwordTooLong: 'The password is too long: use no more than 256 characters.',
  passwordContainsUsername: 'The password must not contain your username.',
  passwordContainsName: 'The password must not contain your name.',
  passwordContainsEmail: 'The password must not contain your email address.',
  passwordContainsPractice: 'The password must not contain the name of the practice or of Mijn Therapie Dossier.',
  passwordCommon:
    'This password appears in lists of common or leaked passwords, or is easy to guess. Choose something else, for example a sentence of a few words.',
  passwordSameAsTemporary: 'Choose a new password: you cannot keep the temporary password.',
  signInFailed:
    'The username and password do not match. If you are signing in for the first time, or have forgotten your password, use the link below.',
  temporaryWrong: 'The temporary password is not right or has expired. If needed, request a new one through ‘forgotten password’.',
  temporarySpent: 'The temporary password was entered wrongly five times, so it no longer works. Request a new temporary password below.',
  methodRequired: 'Choose a method.',
  methodUnavailable: 'This method is not available. Choose another one.',
  accountUnknown: 'This account does not exist.',
  accountErased: 'This account has been deleted.',
  accountDeactivated: 'This account has been deactivated. Activate it first.',
  resendOnboarded:
    'This account has already finished signing up; an invitation is no longer needed. If the client cannot sign in, ‘forgotten password’ on the sign-in page will help, or you can reset the second step.',
  sameEmail: 'This is already the email address of this account.',
  samePhone: 'This is already the mobile number of this account.',
  notYourself: 'You cannot do this for your own account. Ask another administrator.',
  lastAdmin: 'This is the last active administrator. Create another administrator first.',
  noSecondFactor: 'This account has not set up a second step yet.',
  roleRequired: 'Choose the role: administrator or therapist.',
  notStaff: 'This account is not a staff member: only staff have a role.',
  dateInvalid: 'Enter a date such as 31-12-2026 or 2026-12-31.',
  usernameUnknown: 'There is no account with this username.',
  eventUnknown: 'Choose an event from the list.',
  currentPasswordWrong: 'Your current password is not right.',
  passwordSameAsCurrent: 'Choose a password that is different from your current one.',
  choiceRequired: 'Choose what you would like to do.',
  languageRequired: 'Choose Nederlands or English.',
  // issue 14: practice side
  nameInvalid: 'Use at most 100 ordinary characters for the name.',
  requiredAccountEmail: 'Enter the email address.',
  emailInvalid: 'Enter a valid email address, such as name@example.com.',
  requiredMobile: 'Enter the mobile number.',
  mobileInvalid: 'Enter a valid mobile number, such as 06-12341361 or +31612341361.',
  mobileCountry: 'The portal cannot send text messages to this number. Use a mobile number from {countries}.',
  recoveryCodeFormat: 'A recovery code has 16 letters and digits, such as K7QM-2X9D-4HTP-8WNC. Please check what you entered.',
  recoveryCodeWrong: 'This recovery code is not right or has been used already. Each recovery code works only once.',
  newUsernameShape: 'A username has 3 to 32 characters: letters, digits, full stop, hyphen or underscore.',
  usernameReserved: 'Usernames starting with "verwijderd-" are kept for removed accounts. Choose another.',
  usernameTaken: 'This username is already taken.',
  // Issue 20: practices, made and changed on the operator's CLI.
  practiceNameRequired: 'Give the name of the practice (--name).',
  practiceNameInvalid: 'Use at most 40 ordinary characters for the name of the practice: the name goes into text messages, and each must fit in one message of 160 characters.',
  practiceContactRequired: 'Say how clients reach the practice (--contact), for example a phone number.',
  practiceContactInvalid: 'Use at most 25 ordinary characters for the practice’s contact details, such as a phone number: they go into text messages, and each must fit in one message of 160 characters.',
  practiceSlugShape: 'A practice code (--slug) has 1 to 40 lower-case letters, digits or hyphens.',
  practiceSlugTaken: 'This practice code is already taken.',

  // Issue 12: messages that tell the truth; every "fill in" names its field.
  codeSuperseded: 'This code has been replaced by a newer one. Enter the code from the latest message you received.',
  appCodeUsed: 'This code has just been used. Wait until the app shows a new code and enter that one.',
  requiredUsername: 'Enter your username.',
  requiredEmail: 'Enter your email address.',
  requiredPassword: 'Enter your password.',
  requiredCurrentPassword: 'Enter your current password.',
  requiredNewPassword: 'Enter a new password.',
  requiredConfirmPassword: 'Enter the new password again.',
  requiredTemporaryPassword: 'Enter the temporary password from the email.',
  requiredName: 'Enter the name.',
  // Throttle and limits (docs/decisions/0011-throttle.md). A delay says when to try again; a lock says who
  // can lift it (before the password is proven without naming the practice), never "wait".
  throttled: 'There have been too many attempts. Please try again in {wait}.',
  throttledLocked:
    'Something wrong has been entered too many times. If you have forgotten your password, use the link ‘Forgotten your password, or signing in for the first time?’. If that does not help, your practice can give you access again.',
  signInLocked:
    'Your account has been locked because a wrong password or code was entered too many times. Set a new password through ‘Forgotten your password, or signing in for the first time?’, or contact {practice}{contact}.',
  factorLocked:
    'Your second step has been locked because a wrong code was entered too many times. Please contact {practice}{contact}: they can unlock your account for you.',
  signInDeactivated: 'Your account has been deactivated. If you would like access again, please contact {practice}{contact}.',
  capContact: 'Still not working? Please contact {practice}{contact}.',
  smsCountry: 'We cannot send a text message to this phone number. Please contact {practice}{contact}.',
  smsBudget: 'We cannot send a text message at the moment. Please try again later, or contact {practice}{contact}.',
  appSecretUnreadable:
    'Because of a fault on our side we cannot check the code from your authenticator app at the moment. It is not you or your app. Please contact {practice}{contact}.',
} as const

/** The mails. Text only: they show the same in every mail program, and links cannot hide behind labels. */
/** Issue 23 #2: after a contact change by staff, from when the forgot-password path works again (a paragraph, or nothing). */
const enForgotWait = (when: string | undefined) =>
  when
    ? `
To protect your account, 'forgotten password' will only work again from ${when}. Signing in with your
password and your second step works as usual.
`
    : ''

const mail = {
  invite: (v: { name: string; practice: string; contact: string; portal: string; address: string; username: string; link: string; validUntil: string }) => ({
    subject: `Your account for ${v.portal}`,
    text: `Dear ${v.name},

${v.practice} has created an account for you in ${v.portal}.

Your username is:
${v.username}

Click the link below to confirm your email address. The link is valid until ${v.validUntil}.
${v.link}

If the link has expired, go to ${v.portal} at
${v.address}
and choose "Forgotten your password, or signing in for the first time?".

If you were not expecting this email, please contact ${v.practice}${v.contact}.

Het portaal is er ook in het Nederlands: kies "Nederlands" bovenaan elke pagina.
`,
  }),
  continue: (v: { name: string; portal: string; practice: string; contact: string; address: string; link: string; validUntil: string }) => ({
    subject: `Continue setting up your account for ${v.portal}`,
    text: `Dear ${v.name},

Your email address has been confirmed. Use the link below to continue: you will verify your phone
number, set a password and choose how you sign in. The link also works on another device, once, and
is valid until ${v.validUntil}.
${v.link}

If the link has expired or you have already used it, go to ${v.portal} at
${v.address}
and choose "Forgotten your password, or signing in for the first time?".

If this was not you, please contact ${v.practice}${v.contact}.
`,
  }),
  smsCode: (v: { code: string; portal: string; minutes: number }) =>
    `Your verification code for ${v.portal} is ${v.code}. It is valid for ${v.minutes} minutes. Do not share it with anyone.`,
  emailCode: (v: { name: string; code: string; portal: string; practice: string; contact: string; minutes: number }) => ({
    subject: `Your verification code for ${v.portal}`,
    text: `Dear ${v.name},

Your verification code is:
${v.code}

The code is valid for ${v.minutes} minutes. Do not share this code with anyone: practice staff will never ask for it.

If you did not try to sign in, someone else may know your password. Please change it and
contact ${v.practice}${v.contact}.
`,
  }),
  temporaryPassword: (v: { name: string; portal: string; practice: string; contact: string; password: string; minutes: number }) => ({
    subject: `Your temporary password for ${v.portal}`,
    text: `Dear ${v.name},

You asked for a new password. Your temporary password is on the line below:

${v.password}

Enter it under "Temporary password (see email)" and then choose your own new password.
The temporary password is valid for ${v.minutes} minutes and works only once.

If you did not ask for this, you do not need to do anything: without your phone and this email,
nobody can change your password. If in doubt, please contact ${v.practice}${v.contact}.
`,
  }),
  passwordChanged: (v: { name: string; portal: string; practice: string; contact: string }) => ({
    subject: `Your password for ${v.portal} has been changed`,
    text: `Dear ${v.name},

The password for your account has just been changed. You have been signed out on other devices.

If this was not you, please contact ${v.practice}${v.contact} straight away.
`,
  }),
  locked: (v: { name: string; portal: string; practice: string; contact: string }) => ({
    subject: `Your second step for ${v.portal} has been locked`,
    text: `Dear ${v.name},

When signing in to your account, your password was entered correctly, but then a wrong code for the
second step was entered many times. To protect your details, the second step has therefore been
locked: you can sign in again once ${v.practice} unlocks it. Please contact ${v.practice}${v.contact} for this.

If it was not you, someone else knows your password. Your details are safe as long as only you receive
the codes. Set a new password through "Forgotten your password, or signing in for the first time?" on
the sign-in page, and tell ${v.practice}.
`,
  }),
  // Throttle (docs/decisions/0011-throttle.md).
  factorFailures: (v: { name: string; portal: string; practice: string; contact: string }) => ({
    subject: `Wrong codes when signing in to ${v.portal}`,
    text: `Dear ${v.name},

When signing in to your account, your password was entered correctly, but after that a wrong code
for the second step was entered several times.

If this was you, you do not need to do anything.

If it was not you, someone else knows your password. Set a new password as soon as possible:
on the sign-in page, choose "Forgotten your password, or signing in for the first time?". Please
also contact ${v.practice}${v.contact}.
`,
  }),
  emailVerifyCode: (v: { name: string; code: string; portal: string; minutes: number }) => ({
    subject: `Confirm your new email address for ${v.portal}`,
    text: `Dear ${v.name},

Your practice has changed your email address to this address. Your verification code is:
${v.code}

The code is valid for ${v.minutes} minutes. Do not share this code with anyone: practice staff will never ask for it.
`,
  }),
  emailChangedOld: (v: { name: string; portal: string; practice: string; contact: string; when?: string }) => ({
    subject: `Your email address for ${v.portal} has been changed`,
    text: `Dear ${v.name},

${v.practice} has changed the email address of your account. From now on, messages from ${v.portal}
go to the new address; the next time you sign in, you confirm that address with a code.
${enForgotWait(v.when)}
If you did not ask for this, please contact ${v.practice}${v.contact} straight away.
`,
  }),
  emailChangedNew: (v: { name: string; portal: string; practice: string; contact: string; when?: string }) => ({
    subject: `New email address for ${v.portal}`,
    text: `Dear ${v.name},

${v.practice} has set this address as the email address of your account. The next time you sign in,
we will ask you to confirm it with a code that we send to this address.
${enForgotWait(v.when)}
If you did not ask for this, please contact ${v.practice}${v.contact}.
`,
  }),
  phoneChanged: (v: { name: string; portal: string; practice: string; contact: string; last4: string; when?: string }) => ({
    subject: `Your mobile number for ${v.portal} has been changed`,
    text: `Dear ${v.name},

${v.practice} has changed the mobile number of your account to a number ending in ${v.last4}.
The next time you sign in, you verify that number with a code by text message.
${enForgotWait(v.when)}
If you did not ask for this, please contact ${v.practice}${v.contact} straight away.
`,
  }),
  mfaReset: (v: { name: string; portal: string; practice: string; contact: string; when?: string }) => ({
    subject: `Your second step for ${v.portal} has been reset`,
    text: `Dear ${v.name},

${v.practice} has reset the second step of your account. An authenticator app you set up before no
longer works for your account, and you have been signed out everywhere, including the practice's apps.

${
      v.when
        ? `To protect your account, you can only set up a new second step from ${v.when}. Sign in then:
you verify your phone number with a code by text message and set up your second step again.`
        : `The next time you sign in, you verify your phone number with a code by text message and set up
your second step again.`
    }

If you did not ask for this, please contact ${v.practice}${v.contact} straight away.
`,
  }),
  mfaEnrolled: (v: { name: string; portal: string; practice: string; contact: string; method: string }) => ({
    subject: `Second step set up for ${v.portal}`,
    text: `Dear ${v.name},

The second step for your account has just been set up. When you sign in, you confirm it is you
with ${v.method}.

If this was not you, please contact ${v.practice}${v.contact} straight away.
`,
  }),
  mfaChanged: (v: { name: string; portal: string; practice: string; contact: string; method: string }) => ({
    subject: `Second step changed for ${v.portal}`,
    text: `Dear ${v.name},

The second step of your account has just been changed. From now on, when you sign in, you confirm
it is you with ${v.method}. An app you set up before no longer works for your account.

If this was not you, please contact ${v.practice}${v.contact} straight away.
`,
  }),
  mfaAppReplaced: (v: { name: string; portal: string; practice: string; contact: string; username: string }) => ({
    subject: `New app set up for ${v.portal}`,
    text: `Dear ${v.name},

A new authenticator app has just been set up for your account. From now on you sign in with the code
from that app; the codes of the app you set up before no longer work.

So please remove the old entry "${v.portal} (${v.username})" from the app on your old phone, or from
the same app if it now lists two. That way you will not use an old code by mistake.

If this was not you, please contact ${v.practice}${v.contact} straight away.
`,
  }),
  recoveryCodesCreated: (v: { name: string; portal: string; practice: string; contact: string }) => ({
    subject: `New recovery codes for ${v.portal}`,
    text: `Dear ${v.name},

Ten new recovery codes have just been created for your account. A recovery code lets you sign in when
you do not have the phone with your authenticator app to hand. Any earlier recovery codes no longer work.

If this was not you, please contact ${v.practice}${v.contact} straight away.
`,
  }),
  recoveryCodeUsed: (v: { name: string; portal: string; practice: string; contact: string; left: string }) => ({
    subject: `Signed in with a recovery code at ${v.portal}`,
    text: `Dear ${v.name},

You have just signed in with a recovery code. That code will not work again; you have ${v.left} left.

Have you lost your phone, or got a new one? Then set up a new app: sign in, choose Security, then
Change second step and Set up a new app. Afterwards remove the old entry from the app on an old
phone, if you still have it.

If this was not you, someone has your password and one of your recovery codes. Set a new password
straight away and contact ${v.practice}${v.contact}.
`,
  }),
} as const

// --- The audit log's details in English (issue 12, item 7) -------------------------------------------
// recordEvent stores a small JSON detail ({ purpose: 'email-mfa', reason: 'wrong' }); the practice's
// audit page shows it with these names. A key or value missing here shows as stored (nothing is hidden).
const auditMethods: Record<string, string> = { app: 'authenticator app', email: 'email', sms: 'text message', recovery: 'recovery code' }
const auditDetail = {
  yes: 'yes',
  no: 'no',
  none: 'none',
  keys: {
    purpose: 'Purpose',
    reason: 'Reason',
    via: 'Via',
    method: 'Method',
    factor: 'Step',
    stage: 'During',
    from: 'From',
    to: 'To',
    role: 'Role',
    phase: 'Stage',
    count: 'Number',
    failures: 'Failed attempts',
    wasLocked: 'Was locked',
    sessionsEnded: 'Sessions ended',
    budget: 'Limit',
    limit: 'Threshold',
    counter: 'Counter',
    refused: 'Refused',
    locked: 'Locked',
    event: 'Event',
    van: 'From (date)',
    tot: 'Up to and including (date)',
    page: 'Page',
    results: 'Results',
    until: 'Until',
    hidden: 'Hidden mode',
    clientId: 'App ID',
    client: 'App',
    firstParty: 'Practice’s own app',
    scope: 'Data',
    retired: 'No longer in use',
    created: 'Created',
    practice: 'Practice',
    fields: 'Changed',
    sessions: 'Sessions',
    grants: 'App access',
    left: 'Left',
    replaced: 'Replaced',
    secret: 'Secret',
    previous: 'Previously',
    rows: 'Rows',
    fromId: 'From row',
    toId: 'To row',
    resealed: 'Encrypted again',
    unopenable: 'Could not be opened',
    renamed: 'Counters moved',
    accounts: 'Accounts',
    clients: 'Apps',
    signingKeys: 'Signing keys',
    pending: 'Waiting app secrets',
    outbox: 'Messages',
    oidcSessions: 'App sessions',
  } as Record<string, string>,
  values: {
    purpose: {
      invite: 'invitation (first email)',
      continue: 'continue activating (second email)',
      phone: 'verify phone number',
      'email-mfa': 'sign-in code by email',
      'email-verify': 'verify email address',
      password: 'change password',
      'second-factor': 'change second step',
      'other-devices': 'sign out of other devices',
      'recovery-codes': 'create recovery codes',
    },
    reason: {
      sent: 'sent',
      cooldown: 'too soon after the previous code',
      capped: 'maximum number of codes reached',
      account: 'maximum number of codes for the account reached',
      ok: 'correct',
      malformed: 'no valid code entered',
      wrong: 'wrong code',
      expired: 'code expired',
      spent: 'code already used',
      superseded: 'replaced by a newer code',
      idle: 'inactive for too long',
      budget: 'text message limit reached',
      fresh_sign_in: 'new sign-in requested by an app',
      country: 'country not allowed',
      absolute: 'maximum duration reached',
      active: 'account is already active',
      none: 'no code requested',
      'no-match': 'username and email address do not belong together',
      passwordTooShort: 'password too short',
      passwordTooLong: 'password too long',
      passwordContainsUsername: 'password contains the username',
      passwordContainsName: 'password contains the name',
      passwordContainsEmail: 'password contains the email address',
      passwordContainsPractice: 'password contains the practice’s name',
      passwordCommon: 'password too common or leaked',
    },
    via: {
      onboarding: 'activation',
      'sign-in': 'sign-in',
      reset: 'forgotten password',
      change: 'change password',
      'password-change': 'password changed',
      self: 'own sign-out of other devices',
      oidc: 'through an app (OpenID Connect)',
      security: 'Security page',
      code: 'verification code',
      env: 'the server’s settings (PRACTICE_NAME, PRACTICE_CONTACT)',
      'mfa-reset': 'second step reset by the practice',
      deactivate: 'account deactivated',
      erase: 'account removed',
      'email-change': 'email address changed during activation',
    },
    refused: { reset: 'forgotten password', factor: 'new second step' },
    method: auditMethods,
    from: auditMethods,
    to: auditMethods,
    factor: { password: 'password', app: 'code from the app', email: 'code by email', sms: 'text message code' },
    stage: { enroll: 'setting up', change: 'changing', start: 'starting', confirm: 'confirming' },
    role: { patient: 'client', behandelaar: 'therapist', beheerder: 'administrator' },
    phase: { active: 'account active', onboarding: 'during activation' },
    previous: { patient: 'client', behandelaar: 'therapist', beheerder: 'administrator' },
    secret: { totp: 'authenticator app secret' },
  } as Record<string, Record<string, string>>,
}

/**
 * Issue 11 #10: the change notices by SMS, to the old number as well as the new. Issue 24 #4: each fits
 * one segment with the longest names allowed (domain/sms-text.ts; test/sms-segments.test.ts), so the
 * practice is named once, its contact is the bare number, and the moment is short ("30/09, 23:45").
 */
const sms = {
  emailChanged: (v: { practice: string; contact: string }) =>
    `${v.practice} has changed the email address of your account. Didn't ask for this? Call ${v.contact} now.`,
  phoneChangedOld: (v: { practice: string; contact: string; last4: string }) =>
    `${v.practice} has changed your mobile number (it now ends in ${v.last4}). Didn't ask for this? Call ${v.contact}.`,
  phoneChangedNew: (v: { practice: string; contact: string }) =>
    `This is now the mobile number of your account with ${v.practice}. Didn't ask for this? Call ${v.contact}.`,
  mfaReset: (v: { practice: string; contact: string; when?: string }) =>
    `${v.practice} has reset your second step.${v.when ? ` You can set up a new one from ${v.when}.` : ''} Not you? Call ${v.contact}.`,
} as const

// --- OpenID Connect: the practice's apps that let patients sign in through the portal (src/oidc/) ---
const oidcText = {
  errorTitle: 'Signing in to the app is not working',
  errorUnknownClient: 'The practice does not know this app. Go back to the app, and contact the practice if this keeps happening.',
  errorRedirectUri: 'This app asks to send you back to an address the practice has not registered, so we are not sending you on. Please contact the practice.',
  errorExpired: 'This sign-in has expired or has already been completed. Go back to the app and try again.',
  errorResponseMode: 'This app asks for the answer in a way the portal does not support. Please contact the practice.',
  errorGeneric: 'The app asked for something the portal cannot give. Go back to the app and try again; contact the practice if this keeps happening.',
  errorTooManyClient:
    'Too many app sign-ins have been started from this internet address in the past hour. Please try again later: within the hour it will work again. Contact the practice if this keeps happening.',
  errorTooManyApp:
    'Too many sign-ins to this app are being started at the moment. Please try again later: within the hour it will work again. Contact the practice if this keeps happening.',
  errorHttps: 'The portal only works over a secure connection (https). Go back to the app and try again; contact the practice if this keeps happening.',
  errorCode: 'Error code for the practice:',
  continueTitle: 'Back to the app',
  continueBody: 'You are signed in. You are now going back to {app}.',
  continueLink: 'Continue to {app}',
  consentTitle: 'Give permission',
  consentIntro: '{app} would like to know who you are. If you give permission, {app} will receive from the portal:',
  consentNote: 'This app cannot see more of your details than listed here without us asking you again.',
  consentAllow: 'Give permission',
  consentDeny: 'Refuse',
  claimOpenid: 'a fixed code for your account (not your username)',
  claimProfile: 'your name and your language (Dutch or English)',
  claimEmail: 'your email address',
  claimPhone: 'your mobile number',
  claimRole: 'your role at the practice (client, therapist or administrator)',
  claimPractice: 'your practice (its name and code)',
  wrongPracticeTitle: 'This app is not for your practice',
  wrongPracticeBody:
    'You are signed in, but {app} is an app of another practice. The app gets to see nothing of yours. If you were given a link to this app, please ask {practice}{contact} which app you can use.',
  wrongPracticeBack: 'Back to the app',
  logoutTitle: 'Sign out',
  logoutQuestion: 'Would you like to sign out of the portal?',
  logoutQuestionApp: 'You are signing out of {app}. Would you also like to sign out of the portal? If you do, you will be signed out of all the practice’s apps.',
  logoutCancel: 'Stay signed in',
  loggedOutTitle: 'You have signed out',
  loggedOutBody: 'You have signed out of the portal and of the practice’s apps you were signed in to.',
  appsHeading: 'Apps you are signed in to',
  appsIntro: 'These apps of the practice have asked the portal who you are.',
  appsEmpty: 'You have not signed in to any app through the portal yet.',
  appsApp: 'App',
  appsLast: 'Last signed in',
  // The CLI (npm run admin -- client ...)
  uriInvalid: 'not a valid URL',
  uriFragment: 'a URL must not contain #',
  uriTooLong: 'a URL may be at most {max} characters long',
  uriHttps: 'use https:// (http:// is only allowed for localhost, outside production)',
  uriHttpsProduction: 'use https:// (only https is allowed in production)',
  clientNameInvalid: 'Give the app a name (--name, at most 100 characters).',
  redirectUriMissing: 'Give at least one --redirect-uri.',
  // /dev/app, the demo app (development only)
  demoTitle: 'Demo app',
  demoIntro: 'A small app that lets you sign in through the portal, as the practice’s record system would.',
  demoSignIn: 'Sign in to the demo app',
  demoSignedIn: 'Signed in to the demo app. These are the verified details from the id_token:',
  demoUserinfo: 'And this is what the portal returned to the userinfo request:',
  demoSignOut: 'Sign out of the demo app',
  demoFailed: 'Signing in to the demo app failed:',
  demoNoClient: 'No demo client has been registered. Start the portal in development mode with an empty database.',
} as const

export const en: Catalogue = {
  /** The language's own name, shown on the switch link of the other language's pages. */
  name: 'English',
  /** BCP 47 locale for dates and times (Europe/Amsterdam stays the zone). */
  locale: 'en-GB',
  label,
  text,
  error,
  mail,
  sms,
  auditDetail,
  oidcText,
  words: {
    second: 'second',
    seconds: 'seconds',
    minute: 'minute',
    minutes: 'minutes',
    /** In the mails that confirm a second step: "... how you confirm it is you: an authenticator app". */
    mailMethodApp: 'an authenticator app',
    mailMethodAppCode: 'the code from an authenticator app',
    mailMethodEmail: 'a code by email',
  },
}
