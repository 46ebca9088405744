import Testing
import WorkbenchCore

@testable import ProxyTrainer

/// The bytes view: any alphabet becomes 256 compressed ids, and the ids lead back to the symbols.
@Suite struct CompressedViewTests {
    func vocabulary(_ alphabet: Int, passThrough: Bool = false, view: CompressedView = .bytes) throws -> ProxyVocabulary {
        try ProxyVocabulary(
            descriptor: CompressorDescriptor(
                id: "x", displayName: "x", alphabetSize: alphabet + (passThrough ? 256 : 0), passesRawBytesThrough: passThrough),
            view: view)
    }

    @Test(arguments: [(257, 2), (4096, 2), (65_536, 2), (1 << 20, 3), (1 << 24, 3), (1 << 32, 4)])
    func symbolsRoundTripThroughSubTokens(alphabet: Int, width: Int) throws {
        let vocabulary = try vocabulary(alphabet)
        #expect(vocabulary.size == 576 && vocabulary.symbolBytes == width)
        var generator = SplitMix64(seed: UInt64(alphabet))
        let symbols: [UInt32] =
            [0, UInt32(alphabet - 1), 1, 255, 256] + (0..<200).map { _ in UInt32(generator.next() % UInt64(alphabet)) }
        let ids = vocabulary.ids(ofSymbols: symbols)
        #expect(ids.count == symbols.count * width)
        #expect(ids.allSatisfy { $0 >= 320 && $0 < 576 })
        #expect(try vocabulary.symbols(ofIDs: ids) == symbols)
    }

    @Test func subTokensAreBigEndianBytes() throws {
        #expect(try vocabulary(65_536).ids(ofSymbols: [0xABCD]) == [320 + 0xAB, 320 + 0xCD])
        #expect(try vocabulary(1 << 20).ids(ofSymbols: [0xABCDE]) == [320 + 0x0A, 320 + 0xBC, 320 + 0xDE])
    }

    @Test func passedThroughBytesStayRawBytes() throws {
        let vocabulary = try vocabulary(65_536, passThrough: true)
        let symbols: [UInt32] = [0x41, 256 + 0x1234, 0xFF]
        let ids = vocabulary.ids(ofSymbols: symbols)
        let expected: [Int32] = [ProxyVocabulary.byteID(0x41), 320 + 0x12, 320 + 0x34, ProxyVocabulary.byteID(0xFF)]
        #expect(ids == expected)
        #expect(try vocabulary.symbols(ofIDs: ids) == symbols)
    }

    @Test func smallAlphabetsAreTheSameInBothViews() throws {
        #expect(try vocabulary(256) == (try vocabulary(256, view: .ids)).with(view: .bytes))
        #expect(try vocabulary(16).ids(ofSymbols: [3, 15]) == [323, 335])
    }

    @Test func alphabetsTooWideForTheIdsViewAskForTheBytesView() throws {
        let error = #expect(throws: WorkbenchError.self) { try vocabulary(1 << 32, view: .ids) }
        #expect(error?.message.contains("--compressed-view bytes") == true)
        #expect(throws: WorkbenchError.self) { try vocabulary(65_536).symbols(ofIDs: [320]) }
        #expect(throws: WorkbenchError.self) { try vocabulary(65_536).symbols(ofIDs: [12, 320]) }
    }
}

extension ProxyVocabulary {
    fileprivate func with(view: CompressedView) -> ProxyVocabulary {
        var copy = self
        copy.view = view
        return copy
    }
}
