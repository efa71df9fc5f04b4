import type { KubeObject } from '../store/index.js';
import { canonicalJson } from './json.js';
import type { ResourceInfo } from './resources.js';
import { matchesSpecSelector, type SpecSelector } from './selectors.js';
import { errors, type StatusCause } from './status.js';

type Obj = Record<string, unknown>;

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

const required = (field: string): StatusCause => ({
  reason: 'FieldValueRequired',
  message: 'Required value',
  field,
});
const invalid = (field: string, value: unknown, why: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${goValue(value)}: ${why}`,
  field,
});
const duplicate = (field: string, value: unknown): StatusCause => ({
  reason: 'FieldValueDuplicate',
  message: `Duplicate value: ${goValue(value)}`,
  field,
});
const forbidden = (field: string, why: string): StatusCause => ({
  reason: 'FieldValueForbidden',
  message: `Forbidden: ${why}`,
  field,
});

/** Renders a value the way Go's `%#v` does in field errors (`"x"`, `3`, `map[string]string{…}`). */
function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Obj)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    return `map[string]string{${entries.join(', ')}}`;
  }
  return JSON.stringify(value);
}

function validateName(object: KubeObject, info: ResourceInfo, causes: StatusCause[]): void {
  const name = object.metadata.name;
  if (!name) {
    if (!object.metadata.generateName) causes.push(required('metadata.name'));
    return;
  }
  const label = info.plural === 'namespaces';
  if (label ? !DNS1123_LABEL.test(name) : !DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    causes.push(invalid('metadata.name', name, label ? LABEL_MESSAGE : SUBDOMAIN_MESSAGE));
  }
}

function validateContainers(spec: Obj, path: string, causes: StatusCause[]): void {
  const containers = spec.containers as Obj[] | undefined;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(required(`${path}.containers`));
    return;
  }
  const seen = new Set<string>();
  for (const key of ['initContainers', 'containers'] as const) {
    const list = (spec[key] as Obj[] | undefined) ?? [];
    list.forEach((c, i) => {
      const at = `${path}.${key}[${i}]`;
      const name = c.name;
      if (typeof name !== 'string' || name === '') causes.push(required(`${at}.name`));
      else if (!DNS1123_LABEL.test(name)) causes.push(invalid(`${at}.name`, name, LABEL_MESSAGE));
      else if (seen.has(name)) causes.push(duplicate(`${at}.name`, name));
      else seen.add(name);
      const image = c.image;
      if (typeof image !== 'string' || image === '') causes.push(required(`${at}.image`));
      else if (image.trim() !== image) {
        causes.push(invalid(`${at}.image`, image, 'must not have leading or trailing whitespace'));
      }
      const policy = c.imagePullPolicy;
      if (policy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(policy as string)) {
        causes.push({
          reason: 'FieldValueNotSupported',
          message: `Unsupported value: ${goValue(policy)}: supported values: "Always", "IfNotPresent", "Never"`,
          field: `${at}.imagePullPolicy`,
        });
      }
    });
  }
}

function validateWorkload(object: KubeObject, causes: StatusCause[]): void {
  const spec = (object.spec ?? {}) as Obj;
  const replicas = spec.replicas;
  if (typeof replicas === 'number' && replicas < 0) {
    causes.push(invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  }
  const selector = spec.selector as SpecSelector | undefined;
  const template = (spec.template ?? {}) as Obj;
  const labels = ((template.metadata as Obj | undefined)?.labels ?? {}) as Record<string, string>;
  const empty =
    !selector ||
    (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length);
  if (empty) {
    causes.push(required('spec.selector'));
    causes.push(
      invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
    );
  } else if (!matchesSpecSelector(selector, labels)) {
    causes.push(
      invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
    );
  }
  validateContainers((template.spec ?? {}) as Obj, 'spec.template.spec', causes);
}

/** Validates an object about to be stored; throws the real `Invalid` Status listing every cause. */
export function validateObject(object: KubeObject, info: ResourceInfo, previous?: KubeObject): void {
  const causes: StatusCause[] = [];
  validateName(object, info, causes);
  if (object.kind === 'Pod') {
    validateContainers((object.spec ?? {}) as Obj, 'spec', causes);
    if (previous) validatePodUpdate(object, previous, causes);
  }
  if (['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(object.kind)) {
    validateWorkload(object, causes);
    if (previous) {
      const before = (previous.spec as Obj | undefined)?.selector as SpecSelector | undefined;
      const after = (object.spec as Obj | undefined)?.selector as SpecSelector | undefined;
      if (canonicalJson(before) !== canonicalJson(after)) {
        causes.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: v1.LabelSelector{MatchLabels:${goValue(after?.matchLabels ?? {})}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`,
          field: 'spec.selector',
        });
      }
    }
  }
  if (causes.length) {
    throw errors.invalid(
      info.kind,
      info.group,
      object.metadata.name || object.metadata.generateName || '',
      causes,
    );
  }
}

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Pods are mostly immutable: only images, activeDeadlineSeconds and tolerations may change. */
function validatePodUpdate(object: KubeObject, previous: KubeObject, causes: StatusCause[]): void {
  const strip = (pod: KubeObject) => {
    const spec = structuredClone((pod.spec ?? {}) as Obj);
    for (const key of ['containers', 'initContainers'] as const) {
      for (const c of (spec[key] as Obj[] | undefined) ?? []) delete c.image;
    }
    delete spec.activeDeadlineSeconds;
    delete spec.tolerations;
    delete spec.terminationGracePeriodSeconds;
    // the scheduler binds pods by setting nodeName once
    if (!(previous.spec as Obj | undefined)?.nodeName) delete spec.nodeName;
    return canonicalJson(spec);
  };
  if (strip(object) !== strip(previous)) causes.push(forbidden('spec', POD_UPDATE_FORBIDDEN));
}
