# Sourced by the project's scripts: finds a JDK 25 and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME if it is a JDK 25 or newer, then any JDK 25+ under /usr/lib/jvm, then `java` on PATH.
convolve_jdk_version() {  # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}

convolve_find_jdk() {
  local candidate v
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    v=$(convolve_jdk_version "$candidate")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(convolve_jdk_version "$candidate")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  fi
  return 1
}

if ! CONVOLVE_JDK=$(convolve_find_jdk); then
  cat >&2 <<'MSG'
convolve: no JDK 25 found (checked $JAVA_HOME, /usr/lib/jvm/* and the java on PATH).
  Install one, for example Eclipse Temurin 25:
    Debian/Ubuntu: apt-get install temurin-25-jdk   (after adding the Adoptium repository, https://adoptium.net/installation/linux)
    or download it from https://adoptium.net/temurin/releases/?version=25 and set JAVA_HOME to its folder.
MSG
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$CONVOLVE_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8 on JDK 25 warns about sun.misc.Unsafe in its own libraries; this quiets it.
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
