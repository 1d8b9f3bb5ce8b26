#!/usr/bin/env bash
# Nightly refresh: turns the latest masked production backup into a data image tagged latest-production, shared
# with the developers and the DBAs, that expires after 7 days. The tag moves to the new image only once it is
# ready, so a failed night leaves latest-production on the last good image; older images expire on their own.
#
# Usage:   refresh-image.sh [IMAGE_DEFINITION]      (default: db/image.yaml)
# Needs:   DOLLY_SERVER         the Dolly server, for example https://dolly.example.com:7370
#          DOLLY_ACCESS_TOKEN   an access token ('dolly create access-token --purpose nightly-refresh')
# Options: REFRESH_TAG (latest-production), REFRESH_TEAMS (myorg:developers myorg:dbas), REFRESH_LIFETIME (7d),
#          REFRESH_TIMEOUT (2h)
# Exits:   0 the new image is ready and holds the tag; 4 the build took longer than REFRESH_TIMEOUT (it goes on);
#          any other code is dolly's (see the README): 1 the build failed, 3 a bad definition, 7 a bad token.
set -euo pipefail

definition="${1:-db/image.yaml}"
tag="${REFRESH_TAG:-latest-production}"
teams="${REFRESH_TEAMS:-myorg:developers myorg:dbas}"
lifetime="${REFRESH_LIFETIME:-7d}"
timeout="${REFRESH_TIMEOUT:-2h}"

: "${DOLLY_SERVER:?Set DOLLY_SERVER to the Dolly server, for example https://dolly.example.com:7370}"
: "${DOLLY_ACCESS_TOKEN:?Set DOLLY_ACCESS_TOKEN to an access token: dolly create access-token --purpose nightly-refresh}"
export DOLLY_SERVER DOLLY_ACCESS_TOKEN

team_options=()
for team in $teams; do
  team_options+=(--team "$team")
done

# -q: only the image's name on stdout, no progress; --timeout: exit 4 instead of waiting for ever.
status=0
name=$(dolly create data-image -f "$definition" --tag "$tag" "${team_options[@]}" --lifetime "$lifetime" --timeout "$timeout" -q) || status=$?
case "$status" in
  0) ;;
  4) echo "The image is still being built after $timeout; $tag stays on the previous image until it is ready." >&2
     exit 4 ;;
  *) echo "The refresh failed (dolly exited $status); $tag stays on the previous image." >&2
     exit "$status" ;;
esac

echo "Data image '$name' is ready and tagged $tag (expires in $lifetime). Containers: dolly create data-container -i $name:$tag"
dolly get data-images --name "$name"
