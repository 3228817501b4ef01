// How long a test waits for something that should come: a child process's line, a server's start, a
// browser's page. Every wait in the suite is on an event (output, an exit, a response), so this number
// only stops a hang with a useful message; it is never what decides a pass, however busy the machine
// (issue 19, item 11: one file failed once beside a CPU hog). tap's own per-file limit, in package.json,
// is the outer guard and is longer still.
export const hangGuardMs = 300_000
