/**
 * A Deployment's revisions, as `kubectl rollout history` knows them and with what it never shows:
 * the digests.
 *
 * Every revision is a ReplicaSet owned by the Deployment, numbered by its
 * `deployment.kubernetes.io/revision` annotation. Rolling back to an old template does not make a
 * new ReplicaSet: the old one is reused, its number raised, and the numbers it had before kept in
 * `deployment.kubernetes.io/revision-history` (so revision 1 "disappears" after `undo
 * --to-revision=1`). `kubernetes.io/change-cause` says why a revision exists.
 *
 * For each container of each revision: the image as written, the digest it pins (if any), the
 * digest kubefresh recorded when it verified the revision (`kubefresh.io/digests` on the ReplicaSet)
 * and the digests the revision's pods run now (from their `imageID`). A revision with pods on two
 * digests of one tag is the seed's "same tag, different code" trap.
 */
export { DIGESTS_ANNOTATION, formatDigestsAnnotation, parseDigestsAnnotation } from './digests-annotation.js';
export { readDeployment, readHistory } from './read.js';
export { recordRevisionDigests } from './record.js';
export {
  buildHistory,
  type DeploymentHistory,
  knownDigest,
  REVISION_HISTORY_ANNOTATION,
  type Revision,
  type RevisionContainer,
  type RunningDigest,
} from './revisions.js';
