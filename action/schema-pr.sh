#!/usr/bin/env bash
# SchemaBuild pull-request check, shared by the GitHub Action (action.yml) and the Azure Pipelines
# template (action/azure-pipelines.yml). Runs lint and plan for a project against the base branch,
# writes SARIF and the comment (built by the tool: dotnet schema plan --format github-comment), and
# posts ONE sticky comment (GitHub) or the summary tab and a PR status (Azure DevOps).
# Exit code: 0 safe, 1 unsafe (errors in the diagnostics), 2 usage or setup problems.
#
# Inputs (environment):
#   SCHEMA_PROJECT      project file or folder (default: .)
#   SCHEMA_BASE_REF     the base branch as a git ref, e.g. origin/main (required)
#   SCHEMA_TOOL         how to run the tool (default: "dotnet schema")
#   SCHEMA_OUTPUT_DIR   where schema.sarif and comment.md go (default: schemabuild-pr)
#   SCHEMA_TABLE_ROWS   optional JSON file of row counts per table, for ghost-copy estimates
#   SCHEMA_PROVIDER     github or azure (default: from GITHUB_ACTIONS / TF_BUILD)
#   SCHEMA_API_DRY_RUN  a folder: write each API request there (NNN.request) instead of sending it,
#                       and read its response from NNN.response when present (used by the tests)
#   GitHub: GITHUB_TOKEN, GITHUB_REPOSITORY, SCHEMA_PR_NUMBER (or GITHUB_EVENT_PATH), GITHUB_API_URL
#   Azure:  SYSTEM_ACCESSTOKEN, SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT, BUILD_REPOSITORY_ID,
#           SYSTEM_PULLREQUEST_PULLREQUESTID
set -uo pipefail

project="${SCHEMA_PROJECT:-.}"
base="${SCHEMA_BASE_REF:-}"
read -r -a tool <<<"${SCHEMA_TOOL:-dotnet schema}"
out="${SCHEMA_OUTPUT_DIR:-schemabuild-pr}"
provider="${SCHEMA_PROVIDER:-}"
if [[ -z "$provider" ]]; then
  if [[ "${TF_BUILD:-}" == "True" ]]; then provider=azure; else provider=github; fi
fi

fail() { echo "error: $*" >&2; exit 2; }
[[ -n "$base" ]] || fail "SCHEMA_BASE_REF is not set; pass the base branch (base-ref input), e.g. origin/main"
command -v jq >/dev/null || fail "jq is not installed; it builds the API requests (apt-get install jq)"
mkdir -p "$out" || fail "cannot create $out"

# The baseline is the schema at the base branch: make sure the ref is there (shallow checkouts lack it).
if ! git rev-parse --verify -q "$base^{commit}" >/dev/null; then
  git fetch --no-tags --quiet origin "${base#origin/}:refs/remotes/origin/${base#origin/}" 2>/dev/null \
    || fail "the base ref '$base' is not in this clone and cannot be fetched; check out with fetch-depth: 0"
fi

common=(-p "$project" --baseline "git:$base")
"${tool[@]}" lint "${common[@]}" --format sarif -o "$out/schema.sarif"
lint_exit=$?
if [[ "$provider" == github ]]; then
  # Workflow annotations on the changed lines.
  "${tool[@]}" lint "${common[@]}" --format github
fi

rows=()
[[ -n "${SCHEMA_TABLE_ROWS:-}" ]] && rows=(--table-rows "$SCHEMA_TABLE_ROWS")
"${tool[@]}" plan "${common[@]}" --format github-comment -o "$out/comment.md" "${rows[@]}"
plan_exit=$?

exit_code=0
for code in "$lint_exit" "$plan_exit"; do
  if (( code >= 2 )); then exit_code=$code; elif (( code == 1 && exit_code == 0 )); then exit_code=1; fi
done
[[ -f "$out/comment.md" ]] || { echo "error: the tool wrote no comment (exit $plan_exit)" >&2; exit "$(( exit_code == 0 ? 2 : exit_code ))"; }

# api METHOD URL [BODY_FILE]: prints the response body. The token goes in a header, never on a printed line.
api() {
  local method=$1 url=$2 body=${3:-}
  if [[ -n "${SCHEMA_API_DRY_RUN:-}" ]]; then
    # Numbered by the requests already written: api runs in command substitutions, so no shell variable survives.
    local name count
    count=$(find "$SCHEMA_API_DRY_RUN" -maxdepth 1 -name '*.request' | wc -l)
    name=$(printf '%s/%03d' "$SCHEMA_API_DRY_RUN" "$((count + 1))")
    { echo "$method $url"; echo "Authorization: <token>"; echo; [[ -n "$body" ]] && cat "$body"; } >"$name.request"
    if [[ -f "$name.response" ]]; then cat "$name.response"; else echo '{}'; fi
    return 0
  fi
  local args=(-sS --fail-with-body -X "$method" -H "Authorization: Bearer $token" -H "Content-Type: application/json")
  [[ "$provider" == github ]] && args+=(-H "Accept: application/vnd.github+json" -H "X-GitHub-Api-Version: 2022-11-28")
  [[ -n "$body" ]] && args+=(--data-binary "@$body")
  curl "${args[@]}" "$url"
}

marker=$(head -n 1 "$out/comment.md")
if [[ "$provider" == github ]]; then
  token="${GITHUB_TOKEN:-}"
  [[ -n "${GITHUB_STEP_SUMMARY:-}" ]] && cat "$out/comment.md" >>"$GITHUB_STEP_SUMMARY"
  pr="${SCHEMA_PR_NUMBER:-}"
  if [[ -z "$pr" && -n "${GITHUB_EVENT_PATH:-}" && -f "${GITHUB_EVENT_PATH}" ]]; then
    pr=$(jq -r '.pull_request.number // empty' "$GITHUB_EVENT_PATH")
  fi
  if [[ -z "$pr" ]]; then
    echo "not a pull request: the comment is in $out/comment.md and the job summary"
  else
    [[ -n "$token" && -n "${GITHUB_REPOSITORY:-}" ]] || fail "GITHUB_TOKEN and GITHUB_REPOSITORY are needed to comment on pull request $pr"
    api_url="${GITHUB_API_URL:-https://api.github.com}/repos/$GITHUB_REPOSITORY/issues"
    jq -Rs '{body: .}' "$out/comment.md" >"$out/comment.json"
    existing=$(api GET "$api_url/$pr/comments?per_page=100" | jq -r --arg m "$marker" \
      'if type == "array" then [.[] | select((.body // "") | startswith($m))][0].id // empty else empty end')
    if [[ -n "$existing" ]]; then
      api PATCH "$api_url/comments/$existing" "$out/comment.json" >/dev/null || fail "updating comment $existing failed"
    else
      api POST "$api_url/$pr/comments" "$out/comment.json" >/dev/null || fail "posting the comment on pull request $pr failed"
    fi
  fi
  [[ -n "${GITHUB_OUTPUT:-}" ]] && { echo "exit-code=$exit_code"; echo "sarif=$out/schema.sarif"; echo "comment=$out/comment.md"; } >>"$GITHUB_OUTPUT"
else
  token="${SYSTEM_ACCESSTOKEN:-}"
  echo "##vso[task.uploadsummary]$(cd "$out" && pwd)/comment.md"
  echo "##vso[task.setvariable variable=SchemaExitCode]$exit_code"
  pr="${SYSTEM_PULLREQUEST_PULLREQUESTID:-}"
  if [[ -n "$pr" ]]; then
    [[ -n "$token" ]] || fail "SYSTEM_ACCESSTOKEN is not mapped into the step's environment; add env: SYSTEM_ACCESSTOKEN: \$(System.AccessToken)"
    state=succeeded; description="SchemaBuild: safe to deploy"
    (( exit_code != 0 )) && { state=failed; description="SchemaBuild: unsafe schema change, see the summary tab"; }
    jq -n --arg state "$state" --arg description "$description" --arg url "${SYSTEM_COLLECTIONURI:-}${SYSTEM_TEAMPROJECT:-}/_build/results?buildId=${BUILD_BUILDID:-}&view=ms.vss-build-web.run-extensions-tab" \
      '{state: $state, description: $description, targetUrl: $url, context: {genre: "schemabuild", name: "schema-plan"}}' >"$out/status.json"
    api POST "${SYSTEM_COLLECTIONURI:-}${SYSTEM_TEAMPROJECT:-}/_apis/git/repositories/${BUILD_REPOSITORY_ID:-}/pullRequests/$pr/statuses?api-version=7.1" "$out/status.json" >/dev/null \
      || fail "setting the pull request status failed"
  fi
fi

exit "$exit_code"
