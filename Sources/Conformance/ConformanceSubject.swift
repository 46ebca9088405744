import WorkbenchCore

/// What the conformance cases run on: one compressor configuration, how to build it (the
/// determinism case needs a second instance), and a few real documents.
public struct ConformanceSubject: Sendable {
    /// The configuration checked, for messages and seeds.
    public var spec: CompressorSpec
    /// Builds a new instance of the compressor.
    public var make: @Sendable () throws -> any Compressor
    /// A few documents of a real corpus (the shipped corpus's valid split, say): the text the
    /// compressor was made for, which fixed and random inputs do not look like.
    public var sampleDocuments: [[UInt8]]

    /// Creates a subject.
    public init(spec: CompressorSpec, sampleDocuments: [[UInt8]], make: @escaping @Sendable () throws -> any Compressor) {
        self.spec = spec
        self.sampleDocuments = sampleDocuments
        self.make = make
    }
}
