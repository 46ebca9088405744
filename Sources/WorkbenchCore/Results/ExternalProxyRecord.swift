/// A proxy model trained outside the comparison (on other machines, by the PyTorch trainer in
/// `trainers/pytorch`) and added to its report with `workbench report --add-run`: its runs
/// summarized over seeds and budgets as the train stage summarizes its own.
public struct ExternalProxyRecord: Sendable, Codable, Equatable {
    /// How tables name it: the compressor (or `bytes only`) and the trainer.
    public var label: String
    /// The compressor's canonical spec, nil for a bytes-only model.
    public var spec: String?
    /// Who trained it (`result.json`'s `trainer`; `workbench` for the workbench's own trainer).
    public var trainer: String
    /// Its runs, summarized; `vs_baseline` is against the bytes-only model of the same trainer,
    /// when one was added with it.
    public var proxy: ProxyRecord

    /// Creates a record.
    public init(label: String, spec: String?, trainer: String, proxy: ProxyRecord) {
        self.label = label
        self.spec = spec
        self.trainer = trainer
        self.proxy = proxy
    }

    /// Whether this is a bytes-only model (the baseline of its trainer's proxies).
    public var isBaseline: Bool { spec == nil }

    enum CodingKeys: String, CodingKey { case label, spec, trainer, proxy }
}
