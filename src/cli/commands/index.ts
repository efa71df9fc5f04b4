import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** A verb, loaded only when it is the one being run (or when help lists them all). */
export interface VerbEntry {
  readonly name: string;
  readonly load: () => Promise<(context: CommandContext) => Command>;
}

/**
 * Every verb, in the order `kubefresh --help` lists them. Each module is imported lazily so that
 * `kubefresh digest` does not pay for loading the simulator or the Kubernetes client at start-up.
 */
export const VERBS: readonly VerbEntry[] = [
  { name: 'lint', load: async () => (await import('./lint.js')).lintCommand },
  { name: 'ref', load: async () => (await import('./ref.js')).refCommand },
  { name: 'digest', load: async () => (await import('./digest.js')).digestCommand },
  { name: 'pin', load: async () => (await import('./pin.js')).pinCommand },
  { name: 'doctor', load: async () => (await import('./doctor.js')).doctorCommand },
  { name: 'deploy', load: async () => (await import('./deploy.js')).deployCommand },
  { name: 'nodes', load: async () => (await import('./nodes.js')).nodesCommand },
  { name: 'sim', load: async () => (await import('./sim.js')).simCommand },
  { name: 'history', load: async () => (await import('./history.js')).historyCommand },
  { name: 'restart', load: async () => (await import('./restart.js')).restartCommand },
  { name: 'rollback', load: async () => (await import('./rollback.js')).rollbackCommand },
  { name: 'demo', load: async () => (await import('./demo.js')).demoCommand },
];
