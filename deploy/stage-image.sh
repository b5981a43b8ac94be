#!/usr/bin/env bash
# Lays out the files of the runtime image under OUT, as they will sit in the
# image's root file system. deploy/Dockerfile copies OUT to / and installs
# the packages named in opt/jalin/runtime-packages.txt.
#
#   deploy/stage-image.sh BUILD_DIR OUT
#
#   opt/jalin/bin/jalin-<service>, jalinctl   the programs, debug info stripped
#   usr/local/bin/<service> -> jalin-<service>  so the command is the service name
#   usr/local/bin/jalinctl
#   opt/jalin/data/        data files (regions.csv, taxonomy)
#   opt/jalin/web/dist/    the dashboard, when it has been built
#   opt/jalin/var -> /var/lib/jalin   the stores (a volume)
#   opt/jalin/runtime-packages.txt    from deploy/runtime-packages.sh
#
# The working directory of the image is /opt/jalin, so the programs' relative
# defaults (data, web/dist, var/<service>.db) resolve as they do in a checkout.
# The services are every services/<name>/jalin-<name> program in BUILD_DIR.
set -euo pipefail

die() { echo "stage-image: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 BUILD_DIR OUT"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(cd "$1" && pwd)
OUT=$2

programs=()
services=()
for program in "$BUILD"/services/*/jalin-*; do
  [ -f "$program" ] && [ -x "$program" ] || continue
  name=$(basename "$program")
  [ "$(basename "$(dirname "$program")")" = "${name#jalin-}" ] || continue
  programs+=("$program")
  services+=("${name#jalin-}")
done
[ ${#services[@]} -gt 0 ] || die "no services/<name>/jalin-<name> in $BUILD: build first"
jalinctl="$BUILD/tools/jalinctl/jalinctl"
[ -x "$jalinctl" ] || die "$jalinctl missing: build first"
programs+=("$jalinctl")

mkdir -p "$OUT/opt/jalin/bin" "$OUT/usr/local/bin"
staged=()
for program in "${programs[@]}"; do
  target="$OUT/opt/jalin/bin/$(basename "$program")"
  install -m 0755 "$program" "$target"
  strip --strip-debug "$target"
  staged+=("$target")
done
# Relative links, so they hold in OUT as in the image.
for service in "${services[@]}"; do
  ln -sfn "../../../opt/jalin/bin/jalin-$service" "$OUT/usr/local/bin/$service"
done
ln -sfn ../../../opt/jalin/bin/jalinctl "$OUT/usr/local/bin/jalinctl"

rm -rf "$OUT/opt/jalin/data"
cp -R "$ROOT/data" "$OUT/opt/jalin/data"
if [ -d "$ROOT/web/dist" ]; then
  mkdir -p "$OUT/opt/jalin/web"
  rm -rf "$OUT/opt/jalin/web/dist"
  cp -R "$ROOT/web/dist" "$OUT/opt/jalin/web/dist"
fi
ln -sfn /var/lib/jalin "$OUT/opt/jalin/var"

"$ROOT/deploy/runtime-packages.sh" "${staged[@]}" \
  > "$OUT/opt/jalin/runtime-packages.txt"
echo "staged ${services[*]} and jalinctl in $OUT" >&2
