#!/usr/bin/env bash
# Makes the reference-tool fixtures that ReferenceToolTests.swift checks, and verifies our
# recorded outputs with the same tools.
#
#   Tests/ConformanceTests/Fixtures/make_reference_fixtures.sh          # inputs + tool outputs, then verify
#   WORKBENCH_RECORD_FIXTURES=1 swift test --filter ReferenceToolTests  # record our outputs (*.ours.*)
#   Tests/ConformanceTests/Fixtures/make_reference_fixtures.sh verify   # the tools decode ours
#
# Needs the Debian packages zstd, brotli and gzip, and python3 (only here: tests never run it).
# Inputs: a short text, 4 KiB of seeded binary, an empty file, and argparse.py (about 100 KB,
# PSF licence) from the system's CPython 3.11.
set -euo pipefail
cd "$(dirname "$0")/reference"

need() { command -v "$1" >/dev/null || { echo "missing tool '$1': apt-get install -y $2" >&2; exit 1; }; }
need zstd zstd; need brotli brotli; need gzip gzip; need cmp diffutils
INPUTS=(text.txt binary.bin empty.bin source.py)

make_fixtures() {
    need python3 python3
    printf '%s\n' \
        'Proxy compression trains a language model on compressed text.' \
        'The same sentence, twice: the same sentence, twice.' \
        'Unicode too: naive cafe -> naïve café, 東京, Ελληνικά.' > text.txt
    python3 - <<'PY'
import random
rng = random.Random(20240601)
open("binary.bin", "wb").write(rng.randbytes(2048) + bytes(range(256)) * 8)
PY
    : > empty.bin
    cp /usr/lib/python3.11/argparse.py source.py

    for input in "${INPUTS[@]}"; do
        # zstd CLI: level 19, with its default content checksum.
        zstd -q -f -19 "$input" -o "$input.zst"
        # brotli CLI: quality 11, window chosen by the tool (it shrinks the window to the file).
        brotli -f -q 11 "$input" -o "$input.br"
        # gzip CLI: level 9, no name or time stamp.
        gzip -9 -n -c "$input" > "$input.gz"
    done
    # Python's gzip.compress(data, 9, mtime=0) is the reference code's gzip_no_mtime; zlib and
    # raw deflate at level 9 are the other two containers of the gzip plugin.
    python3 - "${INPUTS[@]}" <<'PY'
import gzip, sys, zlib
for name in sys.argv[1:]:
    data = open(name, "rb").read()
    open(name + ".python.gz", "wb").write(gzip.compress(data, 9, mtime=0))
    open(name + ".python.zlib", "wb").write(zlib.compress(data, 9))
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    open(name + ".python.deflate", "wb").write(raw.compress(data) + raw.flush())
PY
    {
        echo "zstd $(zstd -V | head -1)"
        echo "brotli $(brotli -V 2>&1 | head -1)"
        echo "gzip $(gzip -V | head -1)"
        echo "python $(python3 -c 'import sys, zlib; print(sys.version.split()[0], "zlib", zlib.ZLIB_RUNTIME_VERSION)')"
    } > tools.txt
}

verify_ours() {
    local strict="$1" missing=0 checked=0
    for input in "${INPUTS[@]}"; do
        for pair in "zst:zstd -d -q -c" "br:brotli -d -c" "gz:gzip -d -c"; do
            local tool="${pair#*:}" file="$input.ours.${pair%%:*}"
            if [[ ! -f "$file" ]]; then missing=1; continue; fi
            $tool "$file" | cmp - "$input" || { echo "FAIL: '$tool $file' does not give $input" >&2; exit 1; }
            checked=$((checked + 1))
        done
    done
    echo "verified $checked of our outputs with zstd, brotli and gzip"
    if (( missing )); then
        echo "some *.ours.* files are missing: run WORKBENCH_RECORD_FIXTURES=1 swift test --filter ReferenceToolTests, then '$0 verify'" >&2
        if [[ "$strict" == strict ]]; then exit 1; fi
    fi
    return 0
}

case "${1:-all}" in
    verify) verify_ours strict ;;
    all) make_fixtures; verify_ours lenient ;;
    *) echo "usage: $0 [all|verify]" >&2; exit 64 ;;
esac
