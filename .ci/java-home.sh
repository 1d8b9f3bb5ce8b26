# Finds a JDK 21 or newer and prints its home; sourced by ./dolly, ./run-tests and .ci/run.
# Order: JAVA_HOME, the java on PATH, then the usual JDK folders.

dolly_java_major() {
  # Prints the major version of the JDK at $1, read from its release file (no JVM start).
  local release="$1/release" version
  [ -x "$1/bin/java" ] && [ -f "$release" ] || return 1
  version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)"/\1/p' "$release")
  version=${version#1.}
  echo "${version%%[.+-]*}"
}

dolly_find_java_home() {
  local candidate major java_on_path
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java_on_path=$(command -v java 2>/dev/null); then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$java_on_path")")")")
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/java/* "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  for candidate in "${candidates[@]}"; do
    major=$(dolly_java_major "$candidate" 2>/dev/null) || continue
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
