import type { PodObject } from '../../core/diagnose/index.js';
import { shortDigest } from '../../core/diagnose/index.js';
import { parseImageId } from '../../core/digest-match/index.js';
import type { Clock } from '../../ports/clock.js';
import type { KubeClient } from '../../ports/kube.js';
import type { Registry } from '../../ports/registry.js';
import { type DeployResult, deploy, SYSTEM_CLOCK } from '../deploy/index.js';
import { type DoctorReport, runDoctor } from '../doctor/index.js';
import { type DemoFix, fixCommand, fixesFor } from './fixes.js';
import type { DemoCluster, DemoEvent, DemoScenario } from './types.js';

export interface DemoDeps {
  readonly kube: KubeClient;
  readonly registry: Registry;
  readonly cluster: DemoCluster;
  /** Runs real kubectl against the cluster and returns its stdout; absent: the same table from the API. */
  readonly kubectl?: (args: readonly string[]) => Promise<string>;
  /** Called between scenes (`--step`). */
  readonly pause?: () => Promise<void>;
  readonly emit: (event: DemoEvent) => void;
  readonly clock?: Clock;
}

export interface DemoOptions {
  /** Scenario ids to play. Default: every scenario the cluster offers. */
  readonly scenes?: readonly number[];
  /** Limit for each rollout the fixes wait on (ms). Default: 30 s. */
  readonly rolloutTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface DemoResult {
  readonly ok: boolean;
  readonly scenes: readonly { readonly id: number; readonly slug: string; readonly ok: boolean }[];
  readonly elapsedMs: number;
}

/** Columns that show the trap: the digest each pod runs, or why it does not run. */
function lookArgs(slug: string, namespace: string): string[] {
  const columns =
    slug === 'stale-latest' || slug === 'mixed-digests'
      ? 'POD:.metadata.name,NODE:.spec.nodeName,IMAGE-ID:.status.containerStatuses[0].imageID'
      : 'POD:.metadata.name,NODE:.spec.nodeName,READY:.status.containerStatuses[0].ready,REASON:.status.containerStatuses[0].state.waiting.reason';
  return ['get', 'pods', '-n', namespace, '--sort-by=.spec.nodeName', '-o', `custom-columns=${columns}`];
}

/** The same table kubectl prints, built from a pod list (when kubectl is not installed). */
async function podsTable(kube: KubeClient, slug: string, namespace: string): Promise<string> {
  const pods = (await kube.list('pods', { namespace })).items as PodObject[];
  const digestView = slug === 'stale-latest' || slug === 'mixed-digests';
  const rows = [digestView ? ['POD', 'NODE', 'IMAGE-ID'] : ['POD', 'NODE', 'READY', 'REASON']];
  for (const pod of [...pods].sort((a, b) =>
    (a.spec?.nodeName ?? '').localeCompare(b.spec?.nodeName ?? ''),
  )) {
    if (pod.metadata?.deletionTimestamp !== undefined) continue;
    const status = pod.status?.containerStatuses?.[0];
    rows.push(
      digestView
        ? [pod.metadata?.name ?? '', pod.spec?.nodeName ?? '<none>', status?.imageID || '<none>']
        : [
            pod.metadata?.name ?? '',
            pod.spec?.nodeName ?? '<none>',
            String(status?.ready ?? '<none>'),
            status?.state?.waiting?.reason ?? '<none>',
          ],
    );
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('')).join('\n')}\n`;
}

function proofLines(report: DoctorReport, deploys: readonly DeployResult[]): string[] {
  const lines: string[] = [];
  for (const result of deploys) {
    for (const pod of result.verification?.pods ?? []) {
      const identity = parseImageId(pod.imageID);
      const digest = identity.kind === 'none' ? 'no digest' : shortDigest(identity.digest);
      lines.push(`${pod.match !== null && pod.ready ? '✓' : '✗'} ${pod.pod}  ${pod.node ?? '-'}  ${digest}`);
    }
  }
  lines.push(`doctor: ${report.summary}`);
  return lines;
}

const allOk = (report: DoctorReport) =>
  report.workloads.length > 0 && report.workloads.every((w) => w.verdict === 'ok');

/**
 * Plays the seed's scenarios on a cluster: for each, walk into the trap as a user would, look at it
 * the way kubectl shows it, run `doctor`, apply the fix (a deploy by digest, after making the image
 * reachable where needed), and prove it: every pod Ready on the deployed digest and doctor all OK.
 * The result is ok only when every scene ended in its proven state.
 */
export async function runDemo(deps: DemoDeps, options: DemoOptions = {}): Promise<DemoResult> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const started = clock.now();
  const wanted = options.scenes;
  const scenarios = deps.cluster.scenarios.filter((s) => wanted === undefined || wanted.includes(s.id));
  deps.emit({
    type: 'demo:start',
    nodes: deps.cluster.nodeNames,
    registry: deps.cluster.registryName,
    scenes: scenarios.length,
  });
  const results: { id: number; slug: string; ok: boolean }[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    if (options.signal?.aborted) break;
    if (index > 0 && deps.pause) await deps.pause();
    const ok = await playScene(deps, scenario, index + 1, scenarios.length, options);
    results.push({ id: scenario.id, slug: scenario.slug, ok });
  }
  const passed = results.filter((r) => r.ok).length;
  const ok = passed === scenarios.length && scenarios.length > 0;
  const elapsedMs = clock.now() - started;
  deps.emit({ type: 'demo:end', ok, elapsedMs, passed, scenes: scenarios.length });
  return { ok, scenes: results, elapsedMs };
}

async function playScene(
  deps: DemoDeps,
  scenario: DemoScenario,
  scene: number,
  of: number,
  options: DemoOptions,
): Promise<boolean> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const started = clock.now();
  const { emit } = deps;
  const end = (ok: boolean, proof: string[]) => {
    emit({ type: 'scene:end', scene, ok, proof, elapsedMs: clock.now() - started });
    return ok;
  };
  try {
    const prepared = await scenario.setup();
    const namespace = prepared.namespace;
    emit({
      type: 'scene:start',
      scene,
      of,
      title: scenario.title,
      seed: scenario.seed,
      story: scenario.story,
      namespace,
    });
    for (const step of prepared.steps) {
      emit({
        type: 'scene:command',
        scene,
        phase: 'trap',
        command: step.kubectl
          ? `kubectl ${step.kubectl.join(' ')}${step.kubectl.includes('-') ? `   # ${step.title}` : ''}`
          : `# ${step.title}`,
      });
      await step.run();
    }
    await scenario.settle(prepared);

    const args = lookArgs(scenario.slug, namespace);
    emit({ type: 'scene:command', scene, phase: 'look', command: `kubectl ${args.join(' ')}` });
    const table = deps.kubectl
      ? await deps.kubectl(args)
      : await podsTable(deps.kube, scenario.slug, namespace);
    emit({ type: 'scene:output', scene, text: table });

    emit({ type: 'scene:command', scene, phase: 'look', command: `kubefresh doctor -n ${namespace}` });
    const diagnosis = await runDoctor({ kube: deps.kube, registry: deps.registry }, { scope: { namespace } });
    emit({ type: 'scene:doctor', scene, phase: 'diagnose', report: diagnosis });

    const fixes = fixesFor(scenario.slug, prepared, deps.cluster);
    if (fixes.length === 0) return end(false, [`no fix is known for scenario ${scenario.slug}`]);
    const deploys: DeployResult[] = [];
    for (const fix of fixes) {
      emit({ type: 'scene:command', scene, phase: 'fix', command: fixCommand(fix, namespace) });
      const result = await applyFix(deps, fix, namespace, scene, options);
      if (result !== undefined) {
        deploys.push(result);
        if (result.outcome !== 'verified') {
          return end(false, [
            `deploy of ${fix.kind === 'deploy' ? fix.deployment : ''} ended ${result.outcome}: ${result.failure?.message ?? ''}`,
          ]);
        }
      }
    }

    emit({ type: 'scene:command', scene, phase: 'look', command: `kubefresh doctor -n ${namespace}` });
    // Old pods can take a moment to go after the verified rollout: ask again briefly before judging.
    let proof = await runDoctor({ kube: deps.kube, registry: deps.registry }, { scope: { namespace } });
    for (let tries = 0; !allOk(proof) && tries < 20 && !options.signal?.aborted; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      proof = await runDoctor({ kube: deps.kube, registry: deps.registry }, { scope: { namespace } });
    }
    emit({ type: 'scene:doctor', scene, phase: 'proof', report: proof });
    return end(allOk(proof), proofLines(proof, deploys));
  } catch (error) {
    return end(false, [`scene failed: ${(error as Error).message}`]);
  }
}

async function applyFix(
  deps: DemoDeps,
  fix: DemoFix,
  namespace: string,
  scene: number,
  options: DemoOptions,
): Promise<DeployResult | undefined> {
  switch (fix.kind) {
    case 'push':
      await deps.cluster.pushBuilt(fix.reference, fix.label);
      return undefined;
    case 'patch':
      await deps.kube.patch('deployments', namespace, fix.deployment, fix.patch, 'strategic');
      return undefined;
    case 'deploy':
      return deploy(
        {
          kube: deps.kube,
          registry: deps.registry,
          events: { emit: (event) => deps.emit({ type: 'scene:deploy', scene, event }) },
        },
        {
          target: { kind: 'Deployment', resource: 'deployments', namespace, name: fix.deployment },
          image: fix.image,
          container: 'app',
          source: { kind: 'none' },
          timeoutMs: options.rolloutTimeoutMs ?? 30_000,
          graceMs: 5_000,
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        },
      );
  }
}
