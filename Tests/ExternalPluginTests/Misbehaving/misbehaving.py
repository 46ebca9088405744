#!/usr/bin/env python3
"""A plugin that misbehaves in one chosen way, for the host's robustness tests.

Usage: misbehaving.py MODE PIDFILE. Appends its pid to PIDFILE so the test can check it was
reaped. Otherwise a correct identity plugin (alphabet 256, one symbol per byte), except for MODE:

  crash-at-hello       traceback on stderr, exit status 3 before answering hello
  wrong-version        answers hello with protocol_version 99
  garbage              prints text instead of a frame
  bad-json             a well-framed header that is not JSON
  huge-length          announces a 4 GiB header
  hang-at-hello        never answers hello
  hang-on-encode       answers hello, then never answers encode
  exit-on-encode       answers hello, then exits 0 without answering encode
  crash-on-encode      answers hello, then raises an exception while encoding
  segfault-on-encode   answers hello, then dies of SIGSEGV
  out-of-alphabet      declares alphabet 200, then emits byte 250 for every byte
  wrong-round-trip     decode drops the last byte
  wrong-count          encode reply announces 2000 symbols more than the payload holds
  chatty               writes 1 MB to stderr per request (must not block), otherwise correct
  slow                 correct, but takes 0.2 s per encode (to make concurrent callers overlap)
  wrong-payload-size   encode reply carries one byte more than its counts announce
  gap-in-spans         gives spans, one per byte, but leaves the second byte's out
  swapped-spans        gives spans, one per byte, with the first two swapped
  empty-span           gives spans, one per byte, plus a span of no symbols and no bytes
  refuse-options       answers hello with an error of kind invalid_options
  refuse-hello         answers hello with an error of kind plugin_failure
  error-frame          answers an encode whose documents hold "bad" with an error frame
  error-item           fails every document that starts with "bad" with an error item
  null-id-error        as error-frame, but the error's id is null
  library              correct, and names a library and its version in ready
  long-loses-a-byte    decode drops the last byte of documents over 2000 bytes (passes the self-test)

Every mode accepts the option "tag" (ignored), and appends "encode N" / "decode N" (documents per
request) to PIDFILE after each request, so tests can count requests and batch sizes.
"""
import json
import os
import signal
import struct
import sys
import time

mode, pidfile = sys.argv[1], sys.argv[2]
with open(pidfile, "a") as f:
    f.write("%d\n" % os.getpid())

stdin, stdout = sys.stdin.buffer, sys.stdout.buffer


def read_frame():
    prefix = stdin.read(8)
    if len(prefix) < 8:
        sys.exit(0)
    h, p = struct.unpack("<II", prefix)
    return json.loads(stdin.read(h)), stdin.read(p)


def write_frame(header, payload=b""):
    data = json.dumps(header).encode()
    stdout.write(struct.pack("<II", len(data), len(payload)) + data + payload)
    stdout.flush()


def log(line):
    with open(pidfile, "a") as f:
        f.write(line + "\n")


def spans_for(lengths):
    """One span per byte, each document's spans as the mode breaks them, as bytes and counts."""
    out, counts = b"", []
    for length in lengths:
        spans = [(i, i + 1, i, i + 1) for i in range(length)]
        if mode == "gap-in-spans" and length > 2:
            del spans[1]
        if mode == "swapped-spans" and length > 2:
            spans[0], spans[1] = spans[1], spans[0]
        if mode == "empty-span":
            spans.append((length, length, length, length))
        counts.append(len(spans))
        out += b"".join(struct.pack("<IIII", *span) for span in spans)
    return out, counts


SPANS = mode in ("gap-in-spans", "swapped-spans", "empty-span")

hello, _ = read_frame()
print("misbehaving plugin starting in mode %s" % mode, file=sys.stderr, flush=True)
if mode == "refuse-options":
    write_frame({"type": "error", "id": 0, "kind": "invalid_options", "message": "tag %r names no model" % hello["options"].get("tag")})
    sys.exit(1)
if mode == "refuse-hello":
    write_frame({"type": "error", "id": 0, "kind": "plugin_failure", "message": "the GPU is busy"})
    sys.exit(1)
if mode == "crash-at-hello":
    raise RuntimeError("simulated crash before the handshake")
if mode == "garbage":
    stdout.write(b"Hello! I am printing debug output to stdout by mistake.\n")
    stdout.flush()
    time.sleep(30)
if mode == "bad-json":
    stdout.write(struct.pack("<II", 9, 0) + b"not json!")
    stdout.flush()
    time.sleep(30)
if mode == "huge-length":
    stdout.write(struct.pack("<II", 0xFFFFFFFF, 0))
    stdout.flush()
    time.sleep(30)
if mode == "hang-at-hello":
    time.sleep(30)
write_frame({
    "type": "ready", "id": 0, "protocol_version": 99 if mode == "wrong-version" else 1,
    "name": "misbehaving", "version": "0", "alphabet_size": 200 if mode == "out-of-alphabet" else 256,
    "accepted_options": ["tag"], "gives_spans": SPANS,
    **({"library_name": "libmisbehave", "library_version": "9.9.9"} if mode == "library" else {}),
})
while True:
    header, payload = read_frame()
    if mode == "chatty":
        sys.stderr.write("x" * (1 << 20) + "\n")
        sys.stderr.flush()
    if header["type"] == "encode":
        if mode == "slow":
            time.sleep(0.2)
        if mode == "hang-on-encode":
            time.sleep(30)
        if mode == "exit-on-encode":
            sys.exit(0)
        if mode == "crash-on-encode":
            raise ValueError("simulated failure while encoding")
        if mode == "segfault-on-encode":
            os.kill(os.getpid(), signal.SIGSEGV)
        if mode == "out-of-alphabet":
            payload = b"\xfa" * len(payload)
        lengths = header["lengths"]
        log("encode %d" % len(lengths))
        if mode in ("error-frame", "null-id-error") and b"bad" in payload:
            print("misbehaving: refusing a batch of %d" % len(lengths), file=sys.stderr, flush=True)
            write_frame({"type": "error", "id": None if mode == "null-id-error" else header["id"],
                         "kind": "library_failure", "message": "out of GPU memory"})
            continue
        counts = list(lengths)
        reply = {"type": "encoded", "id": header["id"], "counts": counts}
        if mode == "error-item":
            errors, kept, offset = [], b"", 0
            for index, length in enumerate(lengths):
                document = payload[offset:offset + length]
                offset += length
                if document.startswith(b"bad"):
                    print("misbehaving: document %d is bad" % index, file=sys.stderr, flush=True)
                    errors.append({"kind": "corrupt_input", "message": "cannot tokenize byte 0 of a bad document"})
                    counts[index] = 0
                else:
                    errors.append(None)
                    kept += document
            reply["errors"], payload = errors, kept
        if mode == "wrong-count" and counts:
            counts[-1] += 2000
        if mode == "wrong-payload-size":
            payload += b"!"
        if SPANS:
            spans, span_counts = spans_for(lengths)
            payload += spans
            reply["span_counts"] = span_counts
        write_frame(reply, payload)
    elif header["type"] == "decode":
        log("decode %d" % len(header["counts"]))
        outputs, offset = [], 0
        for count in header["counts"]:
            document = payload[offset:offset + count]
            offset += count
            if mode == "wrong-round-trip" or (mode == "long-loses-a-byte" and len(document) > 2000):
                document = document[:-1]
            outputs.append(document)
        write_frame({"type": "decoded", "id": header["id"], "lengths": [len(o) for o in outputs]}, b"".join(outputs))
