#!/bin/sh
# Never answers, and keeps a child process alive: the host must kill the whole process group.
echo $$ > "$1"
sleep 30 &
echo $! >> "$1"
echo "hang-with-child.sh: thinking very hard" >&2
wait
