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
  wrong-count          encode reply announces one symbol more than the payload holds
  chatty               writes 1 MB to stderr per request (must not block), otherwise correct
  slow                 correct, but takes 0.2 s per encode (to make concurrent callers overlap)
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


hello, _ = read_frame()
print("misbehaving plugin starting in mode %s" % mode, file=sys.stderr, flush=True)
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
    "accepted_options": [],
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
        counts = list(header["lengths"])
        if mode == "wrong-count" and counts:
            counts[0] += 1
        write_frame({"type": "encoded", "id": header["id"], "counts": counts}, payload)
    elif header["type"] == "decode":
        outputs, offset = [], 0
        for count in header["counts"]:
            document = payload[offset:offset + count]
            offset += count
            if mode == "wrong-round-trip":
                document = document[:-1]
            outputs.append(document)
        write_frame({"type": "decoded", "id": header["id"], "lengths": [len(o) for o in outputs]}, b"".join(outputs))
