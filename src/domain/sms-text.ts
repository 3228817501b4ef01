// Every SMS is one segment (issue 24 #4): 160 GSM-7 characters, or only 70 once a single character
// outside GSM 03.38 (an 'ë', a curly quote) turns the whole text into UCS-2; a second segment doubles
// the cost of every code and notice. Our own words are written in GSM-7; the names that go into an SMS
// have a maximum length (refused beyond it at the CLI and at start) and pass through gsmSafe, so no
// practice called "Praktijk Zoë" can push a text into UCS-2. Counting is sms-segments-calculator's
// (Twilio's GSM 03.38 table and segment rules), not ours. test/sms-segments.test.ts renders every SMS
// with the longest allowed names in both languages.
import { SegmentedMessage } from 'sms-segments-calculator'

/** The longest names an SMS may carry; one segment holds the longest text with all of them at once. */
export const smsNameMax = {
  /** PORTAL_NAME: in the code SMS. */
  portal: 40,
  /** A practice's name: in every notice SMS. */
  practiceName: 40,
  /** A practice's contact (a phone number): in every notice SMS. */
  practiceContact: 25,
} as const

/** What a text costs: its encoding and its number of segments. */
export function smsCost(text: string): { encoding: 'GSM-7' | 'UCS-2'; segments: number } {
  const message = new SegmentedMessage(text, 'auto')
  return { encoding: message.encodingName === 'GSM-7' ? 'GSM-7' : 'UCS-2', segments: message.segmentsCount }
}

/** In GSM-7's basic set: one septet. Its extension set ('€', '[', '{', '|', '~', '^', '\\') costs two. */
const isBasicGsm = (char: string): boolean => {
  const message = new SegmentedMessage(char, 'auto')
  return message.encodingName === 'GSM-7' && message.numberOfCharacters === 1
}

/** Typographic marks and the extension set's characters, as the basic set writes them. */
const plain: Record<string, string> = { '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '…': '.', '€': 'E', '[': '(', ']': ')', '{': '(', '}': ')', '|': '/', '\\': '/', '~': '-', '^': "'" }

/**
 * A name as an SMS carries it, in GSM-7's basic set: characters outside it lose their accent
 * ('ë' -> 'e'), take a plain form ('’' -> "'", '[' -> '('), or become '?'. The ones the basic set has
 * ('é', 'ü', 'ñ') stay. One septet per character: never longer in an SMS than the name is long.
 */
export function gsmSafe(name: string): string {
  let out = ''
  for (const char of name) {
    if (isBasicGsm(char)) out += char
    else if (plain[char] !== undefined) out += plain[char]
    else {
      const base = char.normalize('NFD').replace(/\p{M}/gu, '')
      out += base !== '' && base !== char && [...base].every(isBasicGsm) ? base : '?'
    }
  }
  return out
}
