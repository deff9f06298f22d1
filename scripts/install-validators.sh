#!/usr/bin/env bash
# The reference validators the tests run, from Maven Central: EPUBCheck 5 and veraPDF, each with
# its dependencies, in .cache/validators/<name>/ (Maven keeps its own download cache in ~/.m2).
# A folder whose pom has not changed since it was filled is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

for name in epubcheck verapdf; do
  pom="scripts/validators/$name.pom.xml"
  target=".cache/validators/$name"
  stamp="$target/.pom.sha256"
  if [ -f "$stamp" ] && [ "$(sha256sum "$pom" | cut -d' ' -f1)" = "$(cat "$stamp")" ]; then continue; fi
  echo "setup: fetching $name from Maven Central" >&2
  rm -rf "$target.partial"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$PWD/$target.partial" >&2
  sha256sum "$pom" | cut -d' ' -f1 > "$target.partial/.pom.sha256"
  rm -rf "$target"
  mv "$target.partial" "$target"
done
