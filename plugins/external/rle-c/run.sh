#!/bin/sh
# Builds rle.c on first use (and again whenever it changes), then becomes the plugin.
# The binary is cached outside the source tree, keyed by the source's checksum, and written
# to a temporary name then renamed, so concurrent first uses never run a half-written file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache="${WORKBENCH_PLUGIN_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/workbench/plugins}/rle-c"
sum=$(cksum < "$here/rle.c" | cut -d ' ' -f 1)
binary="$cache/rle-$sum"
if [ ! -x "$binary" ]; then
    mkdir -p "$cache"
    ${CC:-cc} -std=c99 -O2 -Wall -Wextra -o "$binary.$$" "$here/rle.c" >&2
    mv -f "$binary.$$" "$binary"
fi
exec "$binary"
