import type { PreparedScenario, ScenarioStep } from '../../../src/sim/scenarios/index.js';
import type { Kubectl } from '../../support/kubectl.js';

/** Runs a scenario's steps the way a user would: kubectl where there is a command, else in-process (pushes). */
export async function runSteps(kubectl: Kubectl, steps: readonly ScenarioStep[]): Promise<string[]> {
  const outputs: string[] = [];
  for (const step of steps) {
    if (step.kubectl) {
      outputs.push(await kubectl.ok(step.kubectl, step.stdin === undefined ? {} : { stdin: step.stdin }));
    } else {
      await step.run();
    }
  }
  return outputs;
}

/** `kubectl get pods -l app=NAME -o jsonpath=…` of each pod's first container imageID (`image@sha256:…`). */
export async function imageIDs(kubectl: Kubectl, namespace: string, app: string): Promise<string[]> {
  const text = await kubectl.ok([
    'get',
    'pods',
    '-n',
    namespace,
    '-l',
    `app=${app}`,
    '-o',
    'jsonpath={.items[*].status.containerStatuses[*].imageID}',
  ]);
  return text.split(' ').filter((s) => s !== '');
}

/** The digests a list of imageIDs name (`…@sha256:x` or bare `sha256:x`). */
export function digestsOf(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.slice(id.lastIndexOf('sha256:'))))].sort();
}

export type { PreparedScenario };
