import type { Catalogue } from '../messages.ts'
import { nl } from './nl.ts'

// Placeholder until the English catalogue is written: the Dutch one, with the practice side's new
// keys in English (each block marked, to merge into the real catalogue).
export const en: Catalogue = {
  ...nl,
  // The language's own name and locale, so the switch link and <html lang> can be tested before then.
  name: 'English',
  locale: 'en-GB',
  label: {
    ...nl.label,
    // issue 14: practice side
    language: 'Language',
  },
  text: {
    ...nl.text,
    // issue 14: practice side
    languageHint: 'The language of the invitation and of every e-mail, text message and page after it.',
    languageNames: { nl: 'Dutch', en: 'English' },
    colLanguage: 'Language',
    channelEmail: 'E-mail',
    channelSms: 'Text message',
    undeliveredWhat: '{channel} ({kind}) to {to}',
    outboxHeading: '{channel} to {to}',
    outboxFrom: 'From',
    outboxSubject: 'Subject',
    outboxTime: 'Time',
    outboxStatus: 'Status',
  },
  error: {
    ...nl.error,
    // issue 14: practice side
    languageRequired: 'Choose Nederlands or English.',
    nameInvalid: 'Use at most 100 ordinary characters for the name.',
    requiredAccountEmail: 'Enter the email address.',
    emailInvalid: 'Enter a valid email address, such as name@example.com.',
    requiredMobile: 'Enter the mobile number.',
    mobileInvalid: 'Enter a valid mobile number, such as 06-12341361 or +31612341361.',
    newUsernameShape: 'A username has 3 to 32 characters: letters, digits, full stop, hyphen or underscore.',
    usernameReserved: 'Usernames starting with "verwijderd-" are kept for removed accounts. Choose another.',
    usernameTaken: 'This username is already taken.',
  },
}
