// Two practices on one installation (issue 20), each with a beheerder, a behandelaar and patients:
// practice A is the one the installation starts with (migration 0009, named by PRACTICE_NAME and
// PRACTICE_CONTACT), practice B is added the way the operator's `practice add` adds one.
import type { Test } from 'tap'
import type { NewAccount } from '../../src/domain/accounts.ts'
import type { Practice } from '../../src/domain/practices.ts'
import { onboardWithApp, type AppPatient } from './patients.ts'
import { staffBrowser, type StaffPerson } from './practice.ts'
import { world, type World, type WorldOptions } from './world.ts'

export const practiceA = { name: 'Praktijk De Linde', contact: '030 111 11 11' }
export const practiceB = { name: 'Praktijk "Zonnebloem" – Zoë', contact: '020 222 22 22', slug: 'zonnebloem' }

/** Every account of one practice in the test: its staff (signed in) and its patients. */
export interface Team {
  practice: Practice
  beheerder: Awaited<ReturnType<typeof staffBrowser>>
  behandelaar: Awaited<ReturnType<typeof staffBrowser>>
  /** Onboarded with the app; its browser is signed in. */
  patient: AppPatient
  /** Invited only. */
  invited: Awaited<ReturnType<World['invite']>>
}

const people = {
  a: {
    beheerder: { name: 'Anna Bakker', email: 'anna@linde.example', phone: '+31612340001', username: 'abakker', role: 'beheerder' },
    behandelaar: { name: 'Bert Jansen', email: 'bert@linde.example', phone: '+31612340002', username: 'bjansen', role: 'behandelaar' },
    // Not the guide's example number (+31612341361), which the forms' hints show.
    patient: { name: 'Jan de Vries', email: 'jan@example.org', phone: '+31612348001', username: 'jdevries' },
    invited: { name: 'Kees Kok', email: 'kees@example.org', phone: '+31612341362', username: 'kkok' },
  },
  b: {
    beheerder: { name: 'Dirk Dekker', email: 'dirk@zonnebloem.example', phone: '+31612340011', username: 'ddekker', role: 'beheerder' },
    behandelaar: { name: 'Eva Evers', email: 'eva@zonnebloem.example', phone: '+31612340012', username: 'eevers', role: 'behandelaar' },
    patient: { name: 'Piet Peters', email: 'piet@example.org', phone: '+31612341371', username: 'ppeters1' },
    invited: { name: 'Lies Lammers', email: 'lies@example.org', phone: '+31612341372', username: 'llammers' },
  },
} satisfies Record<'a' | 'b', { beheerder: StaffPerson; behandelaar: StaffPerson; patient: NewAccount; invited: NewAccount }>

export const peopleOf = people

async function team(w: World, practice: Practice, who: (typeof people)['a']): Promise<Team> {
  const beheerder = await staffBrowser(w, who.beheerder, practice.id)
  const behandelaar = await staffBrowser(w, who.behandelaar, practice.id)
  const patient = await onboardWithApp(w, who.patient, undefined, practice.id)
  const invited = await w.invite(who.invited, practice.id)
  return { practice, beheerder, behandelaar, patient, invited }
}

/** The installation with practices A and B and both teams. */
export async function twoPractices(t: Test, opts: WorldOptions = {}) {
  const w = await world(t, { ...opts, env: { PRACTICE_NAME: practiceA.name, PRACTICE_CONTACT: practiceA.contact, ...opts.env } })
  const a = await team(w, w.practice, people.a)
  const b = await team(w, (await w.addPractice(practiceB)), people.b)
  return { w, a, b }
}
