import ACPlugin
import BPEPlugin
import BrotliPlugin
import BytesPlugin
import GzipPlugin
import WorkbenchCore
import ZstdPlugin

/// The one table that registers every in-tree compressor. Adding a compressor is one row here,
/// one folder under `plugins/` and one target in Package.swift.
public enum Builtins {
    /// Every built-in compressor, in the order `workbench plugins` lists them.
    public static let registry = CompressorRegistry([
        BytesPlugin.bytes,
        BytesPlugin.bits,
        BytesPlugin.dibits,
        BytesPlugin.nibbles,
        BytesPlugin.bytepairs,
        GzipPlugin.entry,
        ZstdPlugin.entry,
        BrotliPlugin.entry,
        BPEPlugin.entry,
        ACPlugin.entry,
    ])
}
