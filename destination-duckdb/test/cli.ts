import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI from the TypeScript sources, run the way tap runs this test (same loader flags). */
export const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

export function runCli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [...process.execArgv, CLI, ...args], { input: input ?? '', encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function startCli(args: string[]): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

export function messagesOf(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
