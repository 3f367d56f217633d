#!/usr/bin/env bash
# Installs the daemonless image tools the real image-rebuild build needs: Debian's registry, buildah, a static busybox,
# htpasswd for the registry's password file.
# Idempotent: it only calls apt when a binary is missing, so CI can run it every time.
set -euo pipefail

need=()
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v buildah >/dev/null || need+=(buildah)
# The base images are made from Debian's static busybox, so nothing is pulled from a public registry.
[[ -x /bin/busybox ]] || need+=(busybox-static)
# buildah's vfs driver needs no fuse, but it asks for newuidmap when run rootless; as root uidmap is harmless.
command -v newuidmap >/dev/null || need+=(uidmap)
# registry.sh checks the registry's health with curl, makes its certificate with openssl and its bcrypt
# htpasswd file with apache2-utils' htpasswd.
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
command -v htpasswd >/dev/null || need+=(apache2-utils)

if (( ${#need[@]} == 0 )); then
  echo "image tools: docker-registry, buildah, busybox, uidmap, curl, openssl, htpasswd already installed"
  exit 0
fi
SUDO=""
[[ $(id -u) == 0 ]] || SUDO=sudo
echo "image tools: installing ${need[*]}"
# An old or empty package list is the usual cause of "Unable to locate package": refresh once, then install.
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
