#!/usr/bin/env python3
"""xz (LZMA2) through Python's standard-library `lzma`, as a workbench external plugin.

Speaks protocol version 1 of plugins/external/PROTOCOL.md over stdin/stdout. Symbols are the
compressed bytes (alphabet 256, one byte per symbol in payloads). Nothing but frames may go to
stdout; diagnostics go to stderr, which the workbench quotes when something fails.

`encode` and `decode` are plain functions so that Benchmarks/external/direct.py can time the
very same code without the process boundary.
"""
import itertools
import json
import lzma
import platform
import struct
import sys

PROTOCOL_VERSION = 1
PLUGIN_NAME = "xz-python"
PLUGIN_VERSION = "1.1"
# What the plugin wraps, reported by `workbench plugins` and in results: Python's lzma module,
# whose version is the interpreter's (the module does not expose liblzma's).
LIBRARY_NAME = "python-lzma"
LIBRARY_VERSION = platform.python_version()


class ItemError(Exception):
    """One document failed; `kind` is a CodecError kind such as corrupt_input."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def filters_for(preset):
    return [{"id": lzma.FILTER_LZMA2, "preset": preset}]


def encode(document, preset=6, container="xz"):
    """Compresses one document to bytes (each byte is one symbol)."""
    if container == "raw":
        return lzma.compress(document, format=lzma.FORMAT_RAW, filters=filters_for(preset))
    return lzma.compress(document, format=lzma.FORMAT_XZ, preset=preset)


def decode(data, max_output_bytes, preset=6, container="xz"):
    """Restores one document, refusing to produce more than max_output_bytes."""
    if container == "raw":
        decompressor = lzma.LZMADecompressor(format=lzma.FORMAT_RAW, filters=filters_for(preset))
    else:
        decompressor = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
    try:
        # One byte more than allowed tells "exactly at the limit" from "over it".
        output = decompressor.decompress(data, max_length=max_output_bytes + 1)
    except (lzma.LZMAError, EOFError) as error:
        raise ItemError("corrupt_input", "xz stream is corrupt: %s" % error)
    if len(output) > max_output_bytes:
        raise ItemError("output_limit_exceeded",
                        "decoding produces more than the limit of %d bytes" % max_output_bytes)
    if not decompressor.eof:
        raise ItemError("truncated_input", "xz stream ends before its end marker")
    if decompressor.unused_data:
        raise ItemError("corrupt_input",
                        "%d bytes follow the end of the xz stream" % len(decompressor.unused_data))
    return output


# --- Framing: uint32 LE header length, uint32 LE payload length, JSON header, payload. ---

def read_frame(stream):
    prefix = stream.read(8)
    if not prefix:
        return None, None  # end of input: the workbench is done with us
    if len(prefix) < 8:
        raise EOFError("truncated frame prefix")
    header_length, payload_length = struct.unpack("<II", prefix)
    header = stream.read(header_length)
    payload = stream.read(payload_length)
    if len(header) < header_length or len(payload) < payload_length:
        raise EOFError("truncated frame")
    try:
        parsed = json.loads(header)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        # Answered with an `error` whose id is null: the request's id cannot be known.
        return {"type": None, "id": None, "unreadable": header[:100].decode("utf-8", "replace")}, payload
    return parsed, payload


def write_frame(stream, header, payload=b""):
    data = json.dumps(header, separators=(",", ":")).encode("utf-8")
    stream.write(struct.pack("<II", len(data), len(payload)) + data)
    stream.write(payload)
    stream.flush()


def item_error(error):
    return {"kind": error.kind, "message": error.message}


def slices(payload, lengths):
    """The documents of a payload, from their lengths."""
    ends = list(itertools.accumulate(lengths))
    return [payload[start:end] for start, end in zip([0] + ends[:-1], ends)]


def serve(function, *arguments):
    """Calls function on the items of the argument lists side by side; returns the outputs and
    the error items (None when nothing failed). With one-line documents, per-document plumbing
    costs as much as decoding one, so the common case is one `map`; a failure reruns the batch
    one document at a time to tell which failed (the codec is deterministic)."""
    try:
        return list(map(function, *arguments)), None
    except ItemError:
        pass
    outputs, errors = [], []
    for items in zip(*arguments):
        try:
            outputs.append(function(*items))
            errors.append(None)
        except ItemError as error:
            outputs.append(b"")
            errors.append(item_error(error))
    return outputs, errors


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    header, _ = read_frame(stdin)
    if header is None:
        return 0
    # A refused hello is answered with `error` (id 0), then the plugin exits with status 1.
    if header.get("type") != "hello" or header.get("protocol_version") != PROTOCOL_VERSION:
        write_frame(stdout, {"type": "error", "id": 0, "kind": "plugin_failure",
                             "message": "this plugin speaks protocol version %d only" % PROTOCOL_VERSION})
        return 1
    options = header.get("options", {})
    try:
        preset = int(options.get("preset", "6"))
        container = options.get("container", "xz")
        if not 0 <= preset <= 9 or container not in ("xz", "raw"):
            raise ValueError
    except ValueError:
        write_frame(stdout, {"type": "error", "id": 0, "kind": "invalid_options",
                             "message": "bad options %r: preset is 0..9, container is xz|raw" % options})
        return 1
    write_frame(stdout, {
        "type": "ready", "id": 0, "protocol_version": PROTOCOL_VERSION,
        "name": PLUGIN_NAME, "version": PLUGIN_VERSION,
        "library_name": LIBRARY_NAME, "library_version": LIBRARY_VERSION, "alphabet_size": 256,
        "passes_raw_bytes_through": False, "gives_spans": False,
        "accepted_options": ["preset", "container"],
    })
    while True:
        header, payload = read_frame(stdin)
        if header is None or header.get("type") == "shutdown":
            return 0
        kind, request = header.get("type"), header.get("id")
        if kind == "encode":
            def encode_one(document):
                try:
                    return encode(document, preset, container)
                except (lzma.LZMAError, MemoryError) as error:
                    raise ItemError("library_failure", str(error))
            outputs, errors = serve(encode_one, slices(payload, header["lengths"]))
            reply = {"type": "encoded", "id": request, "counts": list(map(len, outputs))}
            if errors:
                reply["errors"] = errors
            write_frame(stdout, reply, b"".join(outputs))
        elif kind == "decode":
            # One byte per symbol (alphabet 256): the symbols are the compressed bytes.
            encodings = slices(payload, header["counts"])
            count = len(encodings)
            outputs, errors = serve(decode, encodings, header["max_output_bytes"],
                                    [preset] * count, [container] * count)
            reply = {"type": "decoded", "id": request, "lengths": list(map(len, outputs))}
            if errors:
                reply["errors"] = errors
            write_frame(stdout, reply, b"".join(outputs))
        elif kind is None:
            write_frame(stdout, {"type": "error", "id": None, "kind": "plugin_failure",
                                 "message": "cannot read the request header %r" % header["unreadable"]})
        else:
            write_frame(stdout, {"type": "error", "id": request, "kind": "plugin_failure",
                                 "message": "unknown request type %r" % kind})


if __name__ == "__main__":
    sys.exit(main())
