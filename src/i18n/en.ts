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
  },
}
