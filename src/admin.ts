// The operator's CLI entry point: `npm run admin -- <command> [options]`. The commands are in src/cli/.
import { runCli } from './cli/main.ts'

process.exitCode = await runCli(process.argv.slice(2))
