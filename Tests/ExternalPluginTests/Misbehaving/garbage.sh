#!/bin/sh
# Writes plain text where frames belong, then waits.
echo $$ > "$1"
echo "Loading model... done. Ready!"
sleep 30
