/**
 * `imagePullPolicy`: what the API server stores when the field is empty, and how the kubelet names
 * the image it pulls.
 *
 * - Defaulting runs once, when the object is created: the tag exactly `latest`, or no tag and no
 *   digest, gives `Always`; everything else gives `IfNotPresent`, including `name@sha256:…` and an
 *   unparsable image. `name:latest@sha256:…` is `Always` because the tag is literally `latest`.
 * - The default is stored on the object (pod templates too). Changing the image later from `app:v1`
 *   to `app:latest` keeps `IfNotPresent`, so live objects must be read, never inferred.
 * - `Always` calls the registry on every container start; `IfNotPresent` checks the node's own
 *   cache, which is how a moving tag ends up running different digests on different nodes.
 * - The kubelet appends `:latest` as plain text to an image with neither tag nor digest.
 */

export { kubeletImageName, kubeletInvalidImageMessage } from './kubelet-image-name.js';
export {
  type DefaultPullPolicy,
  type DefaultPullPolicyExplanation,
  type DefaultPullPolicyReason,
  defaultPullPolicy,
  effectivePullPolicy,
  explainDefaultPullPolicy,
  isPullPolicy,
  type PullPolicy,
} from './pull-policy.js';
