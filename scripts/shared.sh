# Sourced by ./convolve and ./run-tests (with ROOT set): the project's shared data folder, `shared/` (datasets/, images/),
# is found by the programs beside the checkout or one of its parent folders. A clone kept elsewhere of a local
# repository (`git clone /work/main /tmp/fresh`) has no such folder; when its origin has one, point the programs at it.
# Sets nothing when the programs will find it themselves, or when CONVOLVE_SHARED is already set.
if [ -z "${CONVOLVE_SHARED:-}" ]; then
  _convolve_near=""
  for _d in "$ROOT/.." "$ROOT/../.." "$ROOT/../../.."; do
    if [ -d "$_d/shared/datasets" ]; then _convolve_near=1; break; fi
  done
  if [ -z "$_convolve_near" ]; then
    _origin="$(git -C "$ROOT" config --get remote.origin.url 2>/dev/null || true)"
    _origin="${_origin#file://}"
    if [ -n "$_origin" ] && [ -d "$_origin" ]; then
      for _d in "$_origin/.." "$_origin/../.."; do
        if [ -d "$_d/shared/datasets" ]; then export CONVOLVE_SHARED="$(cd "$_d/shared" && pwd)"; break; fi
      done
    fi
  fi
  unset _convolve_near _origin _d
fi
if [ -n "${CONVOLVE_SHARED:-}" ] && [ -z "${CONVOLVE_DATA:-}" ]; then export CONVOLVE_DATA="$CONVOLVE_SHARED/datasets"; fi
