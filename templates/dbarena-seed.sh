#!/bin/sh
# Entrypoint of images made by "dbarena images build": copy the data
# directory initialised at build time into the data directory (a fresh
# tmpfs, empty) and hand over to the image's own entrypoint, which then
# finds a database and skips its first-start initialisation. A data
# directory that already has content (a volume in use) is left alone.
set -e
dir=${DBARENA_DATA_DIR:?}
if [ -d /dbarena-seed ] && [ -z "$(ls -A "$dir" 2>/dev/null)" ]; then
	mkdir -p "$dir"
	cp -a /dbarena-seed/. "$dir/"
fi
exec "$@"
