/// Whether decode(encode(x)) == x held for every document.
public struct RoundTripRecord: Sendable, Codable, Equatable {
    /// Documents checked.
    public var documents: Int
    /// Documents that failed to decode or decoded differently.
    public var failures: Int
    /// The first failure: document source and reason.
    public var firstFailure: String?

    /// Creates a record.
    public init(documents: Int, failures: Int, firstFailure: String?) {
        self.documents = documents
        self.failures = failures
        self.firstFailure = firstFailure
    }

    enum CodingKeys: String, CodingKey {
        case documents, failures, firstFailure = "first_failure"
    }
}
