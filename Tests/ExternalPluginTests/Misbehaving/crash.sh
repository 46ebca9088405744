#!/bin/sh
# Exits at once with a message on stderr, before the handshake: a missing dependency, say.
echo $$ > "$1"
echo "crash.sh: cannot find model file weights.bin" >&2
exit 3
