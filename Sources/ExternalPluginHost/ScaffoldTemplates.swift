/// The text of the files `PluginScaffold` writes. `{{ID}}` becomes the CLI id, `{{TYPE}}` its
/// UpperCamelCase form. Raw string literals, so the Python and Swift inside read as written.
enum ScaffoldTemplates {
    static let externalManifest = #"""
        {
          "format": "workbench.external-plugin/1",
          "id": "{{ID}}",
          "display_name": "{{TYPE}}",
          "description": "what this compressor is and why compare it",
          "command": "python3",
          "arguments": ["plugin.py"],
          "timeout_seconds": 60,
          "options": [
            {"name": "level", "type": "integer", "min": 1, "max": 9, "default": "5",
             "help": "an example option; read it in plugin.py"}
          ]
        }

        """#

    static let externalPython = #"""
        #!/usr/bin/env python3
        """{{ID}}: a workbench external plugin (protocol 1, plugins/external/PROTOCOL.md).

        Starts as the identity (one symbol per byte, alphabet 256). Change encode() and decode(),
        and ALPHABET_SIZE if your symbols are not bytes. Only frames may go to stdout; print
        diagnostics to stderr, which the workbench quotes when something fails.
        """
        import json
        import struct
        import sys

        ALPHABET_SIZE = 256  # every symbol is below this


        def encode(document, options):
            """bytes -> list of int symbols."""
            return list(document)


        def decode(symbols, max_output_bytes, options):
            """list of int symbols -> bytes. Raise ValueError for a corrupt stream."""
            if len(symbols) > max_output_bytes:
                raise OverflowError("more than %d bytes" % max_output_bytes)
            return bytes(symbols)


        # --- Protocol plumbing: you should not need to change anything below. ---

        WIDTH = 1 if ALPHABET_SIZE <= 1 << 8 else 2 if ALPHABET_SIZE <= 1 << 16 else 4
        CODE = {1: "B", 2: "H", 4: "I"}[WIDTH]


        def read_frame(stream):
            prefix = stream.read(8)
            if len(prefix) < 8:
                return None, None
            header_length, payload_length = struct.unpack("<II", prefix)
            return json.loads(stream.read(header_length)), stream.read(payload_length)


        def write_frame(stream, header, payload=b""):
            data = json.dumps(header).encode("utf-8")
            stream.write(struct.pack("<II", len(data), len(payload)) + data + payload)
            stream.flush()


        def main():
            stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
            hello, _ = read_frame(stdin)
            if hello is None:
                return 0
            if hello.get("protocol_version") != 1:
                write_frame(stdout, {"type": "error", "id": 0, "kind": "plugin_failure",
                                     "message": "this plugin speaks protocol version 1 only"})
                return 1
            options = hello.get("options", {})
            # To refuse option values the manifest cannot check (a missing model file), answer
            # {"type": "error", "id": 0, "kind": "invalid_options", "message": ...} and return 1.
            write_frame(stdout, {"type": "ready", "id": 0, "protocol_version": 1, "name": "{{ID}}",
                                 "version": "0.1", "alphabet_size": ALPHABET_SIZE,
                                 "passes_raw_bytes_through": False, "gives_spans": False,
                                 "accepted_options": ["level"]})
            while True:
                header, payload = read_frame(stdin)
                if header is None or header["type"] == "shutdown":
                    return 0
                outputs, errors, offset = [], [], 0
                if header["type"] == "encode":
                    for length in header["lengths"]:
                        symbols = encode(payload[offset:offset + length], options)
                        offset += length
                        outputs.append(struct.pack("<%d%s" % (len(symbols), CODE), *symbols))
                    write_frame(stdout, {"type": "encoded", "id": header["id"],
                                         "counts": [len(o) // WIDTH for o in outputs]}, b"".join(outputs))
                elif header["type"] == "decode":
                    for count, bound in zip(header["counts"], header["max_output_bytes"]):
                        chunk = payload[offset:offset + count * WIDTH]
                        offset += count * WIDTH
                        try:
                            outputs.append(decode(list(struct.unpack("<%d%s" % (count, CODE), chunk)), bound, options))
                            errors.append(None)
                        except OverflowError as error:
                            outputs.append(b"")
                            errors.append({"kind": "output_limit_exceeded", "message": str(error)})
                        except ValueError as error:
                            outputs.append(b"")
                            errors.append({"kind": "corrupt_input", "message": str(error)})
                    write_frame(stdout, {"type": "decoded", "id": header["id"],
                                         "lengths": [len(o) for o in outputs], "errors": errors},
                                b"".join(outputs))


        if __name__ == "__main__":
            sys.exit(main())

        """#

    static let externalReadme = #"""
        # {{ID}}

        An external plugin (plugins/external/PROTOCOL.md). It starts as the identity: one symbol per
        byte, alphabet 256.

        - `plugin.json`: id, how to start it, timeout, options.
        - `plugin.py`: `encode()` and `decode()` are yours; the rest is protocol plumbing.

        Describe the format here: what a symbol means, the alphabet size, what each option does.

        """#

    static let swiftCompressor = #"""
        import WorkbenchCore

        /// {{TYPE}}: describe the format here (what a symbol is, the alphabet, the paper to cite).
        ///
        /// Starts as the identity (one symbol per byte); replace `encode` and `decode`.
        public struct {{TYPE}}Compressor: Compressor {
            public let descriptor: CompressorDescriptor

            /// Creates the compressor from validated options.
            public init(options: ResolvedOptions) {
                descriptor = CompressorDescriptor(
                    id: "{{ID}}", displayName: "{{TYPE}}", options: options.values, alphabetSize: 256)
            }

            public func encode(_ document: [UInt8]) throws(CodecError) -> EncodedDocument {
                EncodedDocument(bytes: document)
            }

            public func decode(_ encoded: EncodedDocument, maxOutputBytes: Int) throws(CodecError) -> [UInt8] {
                guard encoded.symbols.count <= maxOutputBytes else {
                    throw CodecError(
                        .outputLimitExceeded, compressor: descriptor.id,
                        "decoding would produce \(encoded.symbols.count) bytes, more than the limit of \(maxOutputBytes)")
                }
                return try encoded.bytes(compressor: descriptor.id)
            }
        }

        """#

    static let swiftEntry = #"""
        import WorkbenchCore

        /// The registry row for `{{ID}}`: its options and how to build it.
        public enum {{TYPE}}Plugin {
            /// Add `{{TYPE}}Plugin.entry` to the table in Sources/Builtins/Builtins.swift.
            public static let entry = CompressorEntry(
                id: "{{ID}}", displayName: "{{TYPE}}", summary: "one line: what it is and why compare it"
            ) { options, _ in
                {{TYPE}}Compressor(options: options)
            }
        }

        """#

    static let swiftReadme = #"""
        # {{ID}}

        An in-tree Swift compressor (see plugins/README.md). It starts as the identity: one symbol
        per byte, alphabet 256.

        - `Sources/{{TYPE}}Compressor.swift`: the codec.
        - `Sources/{{TYPE}}Plugin.swift`: the registry row (id, options, factory).

        Describe the format here: what a symbol means, the alphabet size, what each option does.

        """#
}
