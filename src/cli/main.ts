#!/usr/bin/env node
/** The operator CLI's bin: the command line, environment and streams of this process (see commands.ts). */
import { runCommand } from './commands.js';

process.exitCode = await runCommand(process.argv.slice(2), process.env, process);
