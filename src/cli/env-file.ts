// `--env-file FILE`: the service's settings, read the way systemd reads an EnvironmentFile= (systemd.exec(5),
// "EnvironmentFile="), so the CLI sees exactly what the service sees. Not Node's process.loadEnvFile or
// dotenv: those read `#` after a value as a comment and expand `\n` in double quotes, where systemd keeps
// both (`SMTP_URL=smtp://user:pa#ss@host` is a password with a #, not a comment).
//
// The rules, as systemd applies them:
// - a line whose first non-blank character is # or ; is a comment; blank lines are skipped;
// - KEY=VALUE; blanks around the key, and blanks before and after an unquoted value, are dropped;
// - in an unquoted value a backslash keeps the next character as it is, and a backslash at the end of
//   the line joins the next line; inner blanks stay; a # inside a value is part of it;
// - '...' keeps everything up to the next ' as it is, newlines included (no escapes);
// - "..." may span lines; \" \\ \` \$ give the character, a backslash before a newline joins the lines,
//   a backslash before anything else stays with it (as in the shell);
// - quoted and unquoted parts follow each other into one value (A="x"y is xy);
// - a line without = is skipped; so is a name that is not letters, digits and _ (not starting with a
//   digit), like `export NAME=...`, and a value with control characters other than tab and newline.

export interface Skipped {
  line: number
  name: string
  reason: 'name' | 'value'
}

export interface EnvironmentFile {
  values: Record<string, string>
  skipped: Skipped[]
}

const blank = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r'
const newline = (c: string) => c === '\n' || c === '\r'
/** What a backslash in double quotes gives as itself. */
const escapable = '"\\`$'

export function parseEnvironmentFile(text: string): EnvironmentFile {
  const values: Record<string, string> = {}
  const skipped: Skipped[] = []
  type State = 'preKey' | 'key' | 'preValue' | 'value' | 'valueEscape' | 'single' | 'double' | 'doubleEscape' | 'comment'
  let state: State = 'preKey'
  let line = 1
  let key = ''
  let value = ''
  // Where trailing blanks of the unquoted part begin (they are dropped at the end of the line).
  let valueBlankFrom = -1
  let startLine = 1

  const push = () => {
    const name = key.trimEnd()
    const text = valueBlankFrom >= 0 && state === 'value' ? value.slice(0, valueBlankFrom) : value
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) skipped.push({ line: startLine, name, reason: 'name' })
    else if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) skipped.push({ line: startLine, name, reason: 'value' })
    else values[name] = text
    key = ''
    value = ''
    valueBlankFrom = -1
  }

  for (const c of text) {
    // Lines are counted for the messages only (a CR LF ends one line).
    if (c === '\n') line++
    switch (state) {
      case 'preKey':
        if (c === '#' || c === ';') state = 'comment'
        else if (!blank(c)) {
          state = 'key'
          key = c
          startLine = line
        }
        break
      case 'key':
        if (newline(c)) {
          // No '=' on this line: not an assignment.
          state = 'preKey'
          key = ''
        } else if (c === '=') state = 'preValue'
        else key += c
        break
      case 'preValue':
        if (newline(c)) {
          push()
          state = 'preKey'
        } else if (c === "'") state = 'single'
        else if (c === '"') state = 'double'
        else if (c === '\\') state = 'valueEscape'
        else if (!blank(c)) {
          state = 'value'
          value += c
        }
        break
      case 'value':
        if (newline(c)) {
          push()
          state = 'preKey'
        } else if (c === '\\') {
          state = 'valueEscape'
          valueBlankFrom = -1
        } else {
          if (!blank(c)) valueBlankFrom = -1
          else if (valueBlankFrom < 0) valueBlankFrom = value.length
          value += c
        }
        break
      case 'valueEscape':
        state = 'value'
        if (!newline(c)) value += c
        break
      case 'single':
        if (c === "'") state = 'preValue'
        else value += c
        break
      case 'double':
        if (c === '"') state = 'preValue'
        else if (c === '\\') state = 'doubleEscape'
        else value += c
        break
      case 'doubleEscape':
        state = 'double'
        if (escapable.includes(c)) value += c
        else if (c !== '\n') value += `\\${c}`
        break
      case 'comment':
        if (newline(c)) state = 'preKey'
        break
    }
  }
  // The last line without its newline, or a quote left open at the end: systemd keeps what it has.
  if (state !== 'preKey' && state !== 'key' && state !== 'comment') push()
  return { values, skipped }
}
