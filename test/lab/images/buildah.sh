# Sourced: buildah with its own storage under the skyshift cache, vfs (no fuse or overlay needed) and chroot isolation.
command -v buildah >/dev/null || { echo "buildah is missing: run test/lab/registry/install.sh" >&2; exit 1; }
SKYSHIFT_CACHE=${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}
LAB_BUILDAH_ROOT=${LAB_BUILDAH_ROOT:-$SKYSHIFT_CACHE/buildah}
lab_buildah() {
  BUILDAH_ISOLATION=chroot buildah --storage-driver vfs --root "$LAB_BUILDAH_ROOT/root" --runroot "$LAB_BUILDAH_ROOT/run" "$@"
}
