import Foundation
import WorkbenchCore

/// Reads and writes HuggingFace tokenizers' `tokenizer.json` for byte-level BPE models.
///
/// Read: model `BPE` with vocab and merges (merges spelled `"a b"` or `["a", "b"]`), a ByteLevel
/// pre-tokenizer (with or without its GPT-2 regex) or a `Sequence` of one `Split` with a pattern we
/// implement and a ByteLevel without regex, no normalizer, a ByteLevel decoder. `byte_fallback`
/// vocabularies may spell single bytes as `<0xHH>`. Anything else is refused with an error that
/// names the field: silently falling back to bytes would report numbers for a different tokenizer.
///
/// Written files load in HuggingFace tokenizers (0.13 and later) and encode identically.
public enum TokenizerJSON {
    /// Loads a model from a tokenizer.json file.
    /// - Throws: `WorkbenchError` naming the path and the offending field.
    public static func load(path: String) throws(WorkbenchError) -> BPEModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WorkbenchError("bpe: cannot read tokenizer '\(path)'; check the path")
        }
        do {
            return try parse(data)
        } catch {
            throw WorkbenchError("bpe: tokenizer '\(path)': \(error.message)")
        }
    }

    /// Parses tokenizer.json bytes.
    /// - Throws: `WorkbenchError` naming the offending field.
    public static func parse(_ data: Data) throws(WorkbenchError) -> BPEModel {
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw WorkbenchError("the top level is not a JSON object")
            }
            root = object
        } catch let error as WorkbenchError {
            throw error
        } catch {
            throw WorkbenchError("not valid JSON (\(error.localizedDescription))")
        }
        if let version = root["version"], !(version is NSNull) {
            guard let text = version as? String, text == "1.0" else {
                throw WorkbenchError("field 'version' is \(version); only tokenizer.json version \"1.0\" is supported")
            }
        }
        if let normalizer = root["normalizer"], !(normalizer is NSNull) {
            throw WorkbenchError(
                "field 'normalizer' (\(typeName(normalizer))) is not supported: a normalizer changes the text, so decoding would not give the document back; use a tokenizer without one"
            )
        }
        let addedTokens = try addedTokenContents(root["added_tokens"])
        let preTokenizer = try parsePreTokenizer(root["pre_tokenizer"])
        try checkDecoder(root["decoder"])
        guard let model = root["model"] as? [String: Any] else {
            throw WorkbenchError("field 'model' is missing or not an object")
        }
        return try parseModel(model, preTokenizer: preTokenizer, addedTokens: addedTokens)
    }

    private static func typeName(_ value: Any) -> String {
        if let object = value as? [String: Any], let type = object["type"] as? String { return "type \(type)" }
        return "\(value)"
    }

    private static func addedTokenContents(_ value: Any?) throws(WorkbenchError) -> Set<String> {
        guard let value, !(value is NSNull) else { return [] }
        guard let list = value as? [Any] else { throw WorkbenchError("field 'added_tokens' is not an array") }
        var contents = Set<String>()
        for (index, item) in list.enumerated() {
            guard let object = item as? [String: Any], let content = object["content"] as? String else {
                throw WorkbenchError("field 'added_tokens[\(index)]' has no 'content' string")
            }
            contents.insert(content)
        }
        return contents
    }

    // MARK: Pre-tokenizer and decoder

    private static func parsePreTokenizer(_ value: Any?) throws(WorkbenchError) -> PreTokenizer {
        guard let object = value as? [String: Any], let type = object["type"] as? String else {
            throw WorkbenchError(
                "field 'pre_tokenizer' is missing or null; a byte-level BPE needs a ByteLevel pre-tokenizer")
        }
        switch type {
        case "ByteLevel":
            try checkByteLevel(object, field: "pre_tokenizer")
            return (object["use_regex"] as? Bool ?? true) ? .gpt2 : .none
        case "Sequence":
            guard let parts = object["pretokenizers"] as? [[String: Any]] else {
                throw WorkbenchError("field 'pre_tokenizer.pretokenizers' is missing or not a list of objects")
            }
            guard parts.count == 2, parts[0]["type"] as? String == "Split", parts[1]["type"] as? String == "ByteLevel"
            else {
                let types = parts.map { $0["type"] as? String ?? "?" }.joined(separator: ", ")
                throw WorkbenchError(
                    "field 'pre_tokenizer.pretokenizers' is [\(types)]; supported: [Split, ByteLevel] or a single ByteLevel")
            }
            try checkByteLevel(parts[1], field: "pre_tokenizer.pretokenizers[1]")
            if parts[1]["use_regex"] as? Bool ?? true {
                throw WorkbenchError(
                    "field 'pre_tokenizer.pretokenizers[1].use_regex' is true after a Split; this double split is not supported")
            }
            return try parseSplit(parts[0])
        default:
            throw WorkbenchError(
                "field 'pre_tokenizer.type' is '\(type)'; supported: ByteLevel, or Sequence [Split, ByteLevel]")
        }
    }

    private static func checkByteLevel(_ object: [String: Any], field: String) throws(WorkbenchError) {
        if object["add_prefix_space"] as? Bool == true {
            throw WorkbenchError(
                "field '\(field).add_prefix_space' is true: it inserts a space the decoder cannot tell from a real one, so documents would not round-trip; set it to false"
            )
        }
    }

    private static func parseSplit(_ split: [String: Any]) throws(WorkbenchError) -> PreTokenizer {
        let field = "pre_tokenizer.pretokenizers[0]"
        guard let pattern = split["pattern"] as? [String: Any], let regex = pattern["Regex"] as? String else {
            throw WorkbenchError("field '\(field).pattern' must be {\"Regex\": ...} with a pattern this plugin implements")
        }
        let behavior = split["behavior"] as? String ?? "Isolated"
        guard behavior == "Isolated" else {
            throw WorkbenchError("field '\(field).behavior' is '\(behavior)'; only 'Isolated' is supported")
        }
        guard split["invert"] as? Bool != true else {
            throw WorkbenchError("field '\(field).invert' is true; only false is supported")
        }
        if PreTokenizer.cl100kPatternVariants.contains(regex) { return .gpt4 }
        if PreTokenizer.gpt2PatternVariants.contains(regex) { return .gpt2 }
        if regex == PreTokenizer.whitespace.pattern { return .whitespace }
        throw WorkbenchError(
            "field '\(field).pattern.Regex' is \(regex.debugDescription); implemented patterns: GPT-2 (ByteLevel), cl100k (GPT-4) and \(PreTokenizer.whitespace.pattern ?? "")"
        )
    }

    private static func checkDecoder(_ value: Any?) throws(WorkbenchError) {
        guard let value, !(value is NSNull) else { return }
        guard let object = value as? [String: Any], let type = object["type"] as? String else {
            throw WorkbenchError("field 'decoder' is not an object with a 'type'")
        }
        switch type {
        case "ByteLevel": return
        case "Sequence":
            let parts = object["decoders"] as? [[String: Any]] ?? []
            guard parts.contains(where: { $0["type"] as? String == "ByteLevel" }) else {
                throw WorkbenchError("field 'decoder.decoders' has no ByteLevel decoder; this is not a byte-level tokenizer")
            }
        default:
            throw WorkbenchError("field 'decoder.type' is '\(type)'; a byte-level BPE needs a ByteLevel decoder")
        }
    }

    // MARK: Model

    private static func parseModel(
        _ model: [String: Any], preTokenizer: PreTokenizer, addedTokens: Set<String>
    )
        throws(WorkbenchError) -> BPEModel
    {
        if let type = model["type"] as? String, type != "BPE" {
            throw WorkbenchError("field 'model.type' is '\(type)'; only BPE models are supported")
        }
        if let dropout = model["dropout"], !(dropout is NSNull), (dropout as? Double ?? 1) != 0 {
            throw WorkbenchError("field 'model.dropout' is \(dropout); dropout makes encoding random, set it to null")
        }
        for field in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let affix = model[field] as? String, !affix.isEmpty {
                throw WorkbenchError("field 'model.\(field)' is \(affix.debugDescription); affixes are not supported")
            }
        }
        let byteFallback = model["byte_fallback"] as? Bool ?? false
        let ignoresMerges = model["ignore_merges"] as? Bool ?? false
        guard let vocab = model["vocab"] as? [String: Any] else {
            throw WorkbenchError("field 'model.vocab' is missing or not an object")
        }
        var tokens = [[UInt8]?](repeating: nil, count: vocab.count)
        var idOf: [String: UInt32] = [:]
        idOf.reserveCapacity(vocab.count)
        for (token, value) in vocab {
            guard let number = value as? Int, number >= 0, number < vocab.count else {
                throw WorkbenchError(
                    "field 'model.vocab': token \(token.debugDescription) has id \(value); ids must be 0..<\(vocab.count) without gaps"
                )
            }
            guard tokens[number] == nil else {
                throw WorkbenchError("field 'model.vocab': id \(number) is given to two tokens")
            }
            tokens[number] = try tokenBytes(token, id: number, byteFallback: byteFallback, addedTokens: addedTokens)
            idOf[token] = UInt32(number)
        }
        let resolved = tokens.compactMap { $0 }
        guard resolved.count == tokens.count else {
            throw WorkbenchError("field 'model.vocab': ids are not contiguous")
        }

        var byteTokens = [UInt32](repeating: 0, count: 256)
        for byte in 0..<256 {
            let spelled = String(ByteLevelAlphabet.scalarForByte[byte])
            if let id = idOf[spelled] {
                byteTokens[byte] = id
            } else if byteFallback, let id = idOf[byteFallbackSpelling(UInt8(byte))] {
                byteTokens[byte] = id
            } else {
                throw WorkbenchError(
                    "field 'model.vocab' has no token for byte 0x\(hex(UInt8(byte))) (spelled \(spelled.debugDescription)\(byteFallback ? " or \(byteFallbackSpelling(UInt8(byte)))" : "")); every byte needs a token"
                )
            }
        }

        guard let mergeList = model["merges"] as? [Any] else {
            throw WorkbenchError("field 'model.merges' is missing or not a list")
        }
        guard !mergeList.isEmpty else {
            throw WorkbenchError("field 'model.merges' is empty: a BPE without merges would only emit single bytes")
        }
        var merges: [BPEMerge] = []
        merges.reserveCapacity(mergeList.count)
        for (index, item) in mergeList.enumerated() {
            let parts: [String]
            if let text = item as? String {
                parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else if let pair = item as? [String] {
                parts = pair
            } else {
                throw WorkbenchError("field 'model.merges[\(index)]' is neither \"a b\" nor [\"a\", \"b\"]")
            }
            guard parts.count == 2 else {
                throw WorkbenchError("field 'model.merges[\(index)]' does not have exactly two parts")
            }
            guard let left = idOf[parts[0]], let right = idOf[parts[1]] else {
                throw WorkbenchError(
                    "field 'model.merges[\(index)]': \(parts[0].debugDescription) or \(parts[1].debugDescription) is not in model.vocab"
                )
            }
            guard let result = idOf[parts[0] + parts[1]] else {
                throw WorkbenchError(
                    "field 'model.merges[\(index)]': the merged token \((parts[0] + parts[1]).debugDescription) is not in model.vocab"
                )
            }
            merges.append(BPEMerge(left: left, right: right, result: result))
        }
        return try BPEModel(
            tokens: resolved, merges: merges, byteTokens: byteTokens, preTokenizer: preTokenizer,
            ignoresMerges: ignoresMerges)
    }

    private static func tokenBytes(
        _ token: String, id: Int, byteFallback: Bool, addedTokens: Set<String>
    )
        throws(WorkbenchError) -> [UInt8]
    {
        if byteFallback, let byte = parseByteFallback(token) { return [byte] }
        if let bytes = ByteLevelAlphabet.bytes(spelledAs: token) { return bytes }
        // Special tokens stand for themselves; our encoder never produces them from text.
        if addedTokens.contains(token) { return Array(token.utf8) }
        let bad = token.unicodeScalars.first { ByteLevelAlphabet.byte(for: $0) == nil }
        let offending = bad.map { String(format: "U+%04X", $0.value) } ?? "?"
        throw WorkbenchError(
            "field 'model.vocab': token \(token.debugDescription) (id \(id)) contains \(offending), which is not in the ByteLevel byte alphabet; this is not a byte-level vocabulary"
        )
    }

    static func byteFallbackSpelling(_ byte: UInt8) -> String { "<0x\(hex(byte))>" }

    private static func parseByteFallback(_ token: String) -> UInt8? {
        let bytes = Array(token.utf8)
        guard bytes.count == 6, token.hasPrefix("<0x"), token.hasSuffix(">") else { return nil }
        return UInt8(String(decoding: bytes[3..<5], as: UTF8.self), radix: 16)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    // MARK: Writing

    /// The tokenizer.json text for a model (vocabulary in id order, merges as `"a b"` strings).
    ///
    /// Subtle: special tokens a loaded model carried are written spelled as bytes like any other
    /// token; models we train have none.
    public static func serialize(_ model: BPEModel) -> String {
        var out = "{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [],\n"
        out += "  \"normalizer\": null,\n"
        out += "  \"pre_tokenizer\": \(preTokenizerJSON(model.preTokenizer)),\n"
        out += "  \"post_processor\": null,\n"
        out +=
            "  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true},\n"
        out += "  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": null,\n"
        out += "    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n    \"fuse_unk\": false,\n"
        out += "    \"byte_fallback\": false,\n    \"ignore_merges\": \(model.ignoresMerges),\n    \"vocab\": {"
        let spelled = model.tokens.map { ByteLevelAlphabet.spell($0) }
        for (id, token) in spelled.enumerated() {
            out += id == 0 ? "\n      " : ",\n      "
            out += "\(quoted(token)): \(id)"
        }
        out += "\n    },\n    \"merges\": ["
        for (index, merge) in model.merges.enumerated() {
            out += index == 0 ? "\n      " : ",\n      "
            out += quoted(spelled[Int(merge.left)] + " " + spelled[Int(merge.right)])
        }
        out += "\n    ]\n  }\n}\n"
        return out
    }

    /// Writes a model as tokenizer.json, atomically.
    public static func save(_ model: BPEModel, to path: String) throws(WorkbenchError) {
        try AtomicFile.write(text: serialize(model), to: path)
    }

    private static func preTokenizerJSON(_ kind: PreTokenizer) -> String {
        func byteLevel(regex: Bool) -> String {
            "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": \(regex)}"
        }
        switch kind {
        case .none: return byteLevel(regex: false)
        case .gpt2: return byteLevel(regex: true)
        case .gpt4, .whitespace:
            let split =
                "{\"type\": \"Split\", \"pattern\": {\"Regex\": \(quoted(kind.pattern ?? ""))}, \"behavior\": \"Isolated\", \"invert\": false}"
            return "{\"type\": \"Sequence\", \"pretokenizers\": [\(split), \(byteLevel(regex: false))]}"
        }
    }

    /// A JSON string literal (UTF-8 kept as is; quotes, backslashes and controls escaped).
    static func quoted(_ text: String) -> String { JSONString.literal(text) }
}

extension TokenizerJSON {
    /// A JSON string literal (for tools and tests that write tokenizer.json fragments).
    public static func jsonStringLiteral(_ text: String) -> String { quoted(text) }
}
