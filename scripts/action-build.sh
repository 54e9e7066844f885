#!/usr/bin/env bash
# The build step of the GitHub Action (action.yml at the repository root), in a file of
# its own so it can be run and tested outside GitHub (test/e2e/action.test.ts).
#
# Runs `handout build` in the current folder (the action's working-directory) with the
# action's inputs, passed as environment variables:
#   INPUT_CONTENT   content folder              (default: content)
#   INPUT_OUT       output folder               (default: output)
#   INPUT_SHARD     k/n, or empty for all       (default: empty)
#   INPUT_STRICT    true or false               (default: true)
#   INPUT_TEMPLATES templates folder, or empty  (default: empty, the built-in templates)
# Which `handout` runs, in this order:
#   HANDOUT_BIN     a command, or a .js file run with node (tests point it at a checkout)
#   node_modules/.bin/handout of the working folder (npm ci first when it has a lockfile
#                   and no node_modules yet)
#   the action's own copy ($GITHUB_ACTION_PATH, else this script's repository; npm ci
#                   there first if it has not been compiled)
# Writes to $GITHUB_OUTPUT (when set): out, report, artifact-name, pdfs. Exits with the
# CLI's code: 0 all built, 1 some handout failed, 2 the build could not start.
set -uo pipefail

content="${INPUT_CONTENT:-content}"
out="${INPUT_OUT:-output}"
shard="${INPUT_SHARD:-}"
strict="${INPUT_STRICT:-true}"
templates="${INPUT_TEMPLATES:-}"

# GitHub shows ::error:: lines as annotations; elsewhere they read as plain errors.
fail() {
  echo "::error title=handout::$1 [USAGE]" >&2
  echo "  hint: $2" >&2
  exit 2
}

case "$strict" in
  true | false) ;;
  *) fail "strict: expected true or false, got \"$strict\"" "Set the action's strict input to true (fail on warnings) or false." ;;
esac
if [ -n "$shard" ] && ! [[ "$shard" =~ ^[0-9]+/[0-9]+$ ]]; then
  fail "shard: expected k/n, e.g. 2/3, got \"$shard\"" "Set shard to \${{ matrix.shard }}/3 in a matrix of 3 jobs, or leave it empty to build everything."
fi
[ -d "$content" ] || fail "content: no folder $content in $(pwd)" "Set the content input to the folder holding <locale>/<slug>.yaml, relative to working-directory."

action_root="${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
handout=()
if [ -n "${HANDOUT_BIN:-}" ]; then
  case "$HANDOUT_BIN" in
    *.js | *.mjs) handout=(node "$HANDOUT_BIN") ;;
    *) handout=("$HANDOUT_BIN") ;;
  esac
else
  if [ ! -d node_modules ] && [ -f package-lock.json ]; then
    echo "handout: npm ci in $(pwd)"
    npm ci --no-audit --no-fund || fail "npm ci failed in $(pwd)" "Run npm ci locally and commit an up-to-date package-lock.json."
  fi
  if [ -x node_modules/.bin/handout ]; then
    handout=(node_modules/.bin/handout)
  else
    if [ ! -f "$action_root/dist/cli.js" ]; then
      echo "handout: no handout installed here (npm i -D handout pins one); using the action's own copy"
      (cd "$action_root" && npm ci --no-audit --no-fund) || fail "cannot install the action's copy of handout in $action_root" "Add handout to the working folder's package.json (npm i -D handout), or check the runner's network."
    fi
    handout=(node "$action_root/dist/cli.js")
  fi
fi

args=(build --content "$content" --out "$out")
[ -n "$templates" ] && args+=(--templates "$templates")
[ "$strict" = true ] && args+=(--strict)
suffix=""
if [ -n "$shard" ]; then
  args+=(--shard "$shard")
  suffix="-shard-${shard%/*}-of-${shard#*/}"
fi
# Beside the output folder, not in it: the folder is the published site.
report="handout-report$suffix.json"
args+=(--report "$report")

# No SOURCE_DATE_EPOCH is made up here: each PDF is dated by its handout's review date
# (reproducible already), and a per-commit date would change every sheet's cache key.
echo "handout: ${handout[*]} ${args[*]}"
"${handout[@]}" "${args[@]}"
code=$?

pdfs=$(find "$out" -name '*.pdf' -type f 2>/dev/null | wc -l | tr -d ' ')
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "out=$out"
    echo "report=$report"
    echo "artifact-name=handouts$suffix"
    echo "pdfs=$pdfs"
  } >>"$GITHUB_OUTPUT"
fi
exit "$code"
