import { describe, expect, it } from 'vitest';
import { parseFieldSelector, parseLabelSelector } from '../../../src/sim/apiserver/selectors.js';
import type { KubeObject } from '../../../src/sim/store/index.js';

const labels = { app: 'web', tier: 'front', canary: '' };

describe('label selectors', () => {
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app in (api, web)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=web,tier in (front),!missing', true],
    ['app=web,tier=back', false],
    ['', true],
  ])('%s → %s', (selector, expected) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(expected);
  });

  it('rejects malformed selectors with a BadRequest quoting the input', () => {
    expect(() => parseLabelSelector('app=w eb x')).toThrow(/unable to parse requirement: .* in "app=w eb x"/);
  });
});

describe('field selectors', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { nodeName: 'agent-1' },
    status: { phase: 'Running' },
  } as KubeObject;
  const event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-1', uid: 'u1' },
    reason: 'BackOff',
    type: 'Warning',
  } as KubeObject;

  it.each([
    ['Pod', pod, 'metadata.name=web-1', true],
    ['Pod', pod, 'spec.nodeName=agent-1,status.phase!=Pending', true],
    ['Pod', pod, 'status.phase=Pending', false],
    ['Event', event, 'involvedObject.name=web-1,involvedObject.kind=Pod,involvedObject.uid=u1', true],
    ['Event', event, 'reason=BackOff,type==Warning', true],
    ['Event', event, 'involvedObject.namespace=other', false],
  ])('%s: %s', (kind, object, selector, expected) => {
    expect(parseFieldSelector(selector as string, kind as string)(object as KubeObject)).toBe(expected);
  });

  it('rejects fields the kind does not index, as the real server does', () => {
    expect(() => parseFieldSelector('spec.image=x', 'Pod')).toThrow('field label not supported: spec.image');
  });
});
