#!/usr/bin/env bash
# Installs the real tools the interop tests drive: the reference registry (distribution),
# skopeo, buildah, containerd + runc. kubectl is expected on PATH already.
set -euo pipefail
packages=(docker-registry skopeo buildah containerd runc ca-certificates)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
