/**
 * `kubefresh rollback`: `kubectl rollout undo` that proves what it brought back.
 *
 * kubectl's undo copies an old ReplicaSet's pod template back onto the Deployment (the
 * second-highest revision by default, or `--to-revision`). The template holds image *text*: when it
 * names a tag, the rollback runs whatever that tag names now, which is not what the revision ran if
 * the tag moved since (a `:latest` or `:stable` pushed over). So before undoing, each tagged image
 * is checked: the digest the revision ran (its pinned digest, its remaining pods' imageIDs, or the
 * `kubefresh.io/digests` record kubefresh left on its ReplicaSet) against the registry now. A moved
 * tag refuses the rollback unless `allowMovedTag`; otherwise the rollback is applied, waited for,
 * and every pod is verified on the expected digest.
 */
export {
  type RollbackContainer,
  type RollbackDeps,
  type RollbackOptions,
  type RollbackOutcome,
  rollbackDeployment,
} from './rollback.js';
