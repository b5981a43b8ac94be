#!/usr/bin/env bash
# Prints the Debian packages that hold the shared libraries the given ELF
# programs load, one name per line, sorted. The runtime stage of
# deploy/Dockerfile installs exactly these, so the image needs no second,
# hand-kept list of libraries.
#
#   deploy/runtime-packages.sh PROGRAM...
#
# Each library is found the way the dynamic loader finds it (ldd), then
# mapped to the package that installed it (dpkg-query -S). Fails, naming the
# program and the library, when a library cannot be found or no package owns
# it (for instance a library built locally): such an image would not start.
set -euo pipefail

die() { echo "runtime-packages: $*" >&2; exit 1; }

[ $# -gt 0 ] || die "usage: $0 PROGRAM..."

# Library path -> the programs that need it (for messages).
declare -A needed_by=()
problems=()

for program in "$@"; do
  [ -f "$program" ] || die "$program: no such file"
  out=$(LC_ALL=C ldd "$program" 2>&1) || die "$program: ldd failed: $out"
  while IFS= read -r line; do
    line=${line#"${line%%[![:space:]]*}"}
    case "$line" in
      *"=> not found"*)
        problems+=("$program needs ${line%% *}, which the loader cannot find") ;;
      *" => /"*)
        lib=${line#* => }; lib=${lib%% (*}
        needed_by[$lib]+="$program " ;;
      /*)  # the dynamic loader itself
        lib=${line%% (*}
        needed_by[$lib]+="$program " ;;
      *) ;;  # linux-vdso and the like: provided by the kernel
    esac
  done <<< "$out"
done

# The names under which dpkg may know each library: the path the loader used
# and the file it resolves to, each with and without the /usr prefix
# (Debian's merged /usr makes /lib and /usr/lib one directory, while each
# package records the path it shipped).
declare -A candidates=()
declare -A packages=()
if [ ${#needed_by[@]} -gt 0 ]; then
  libs=("${!needed_by[@]}")
  mapfile -t real < <(realpath -- "${libs[@]}")
  for i in "${!libs[@]}"; do
    list=
    for path in "${libs[$i]}" "${real[$i]}"; do
      case "$path" in
        /usr/*) list+="$path ${path#/usr} " ;;
        *) list+="$path /usr$path " ;;
      esac
    done
    candidates[${libs[$i]}]=$list
  done

  # One query for every name: dpkg-query prints "pkg[:arch][, pkg...]: /path"
  # for each path it knows and exits non-zero when some are unknown, which the
  # other names of the same library cover.
  declare -A owner=()
  # shellcheck disable=SC2086  # the lists are space-separated paths
  while IFS= read -r line; do
    case "$line" in diversion*) continue ;; esac
    path=${line##*: }
    pkg=${line%: *}; pkg=${pkg%%,*}; pkg=${pkg%%:*}
    owner[$path]=$pkg
  done < <(LC_ALL=C dpkg-query -S ${candidates[*]} 2>/dev/null || true)

  for lib in "${libs[@]}"; do
    pkg=
    for c in ${candidates[$lib]}; do
      if [ -n "${owner[$c]:-}" ]; then pkg=${owner[$c]}; break; fi
    done
    if [ -z "$pkg" ]; then
      problems+=("${needed_by[$lib]% } needs $lib, which no Debian package owns")
    else
      packages[$pkg]=1
    fi
  done
fi

if [ ${#problems[@]} -gt 0 ]; then
  printf 'runtime-packages: %s\n' "${problems[@]}" >&2
  exit 1
fi
printf '%s\n' "${!packages[@]}" | sort
