#!/bin/sh
# Print the address of the Debian archive that the machine's own apt
# sources name for its release's main suite, for the harness's private
# apt configurations (other suites of the same archive).
set -eu

. /etc/os-release
uri=$(apt-cache policy | awk -v s="$VERSION_CODENAME/main" '$3 == s { print $2; exit }')
[ -n "$uri" ] || { echo "error: apt knows no Debian archive for $VERSION_CODENAME main" >&2; exit 1; }
echo "$uri"
