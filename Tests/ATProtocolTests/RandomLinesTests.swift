import Testing
@testable import ATProtocol

/// SplitMix64: the same seed gives the same lines on every run.
struct TestGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
}

@Suite struct RandomLinesTests {
    static let alphabet = Array("AT+=?,\"0123456789-.QLACFGNOTIFYatqe ;()_\u{7F}\t中\\".utf8)

    /// A line from one of four families: random bytes, random characters of the AT alphabet,
    /// a note example with a few bytes changed, a note example as is.
    static func randomLine(_ rng: inout TestGenerator) -> [UInt8] {
        let examples = NoteExamples.chapter2Commands + NoteExamples.chapter4Commands
        switch rng.below(4) {
        case 0:
            return (0..<rng.below(64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        case 1:
            return Array("AT".utf8) + (0..<rng.below(48)).map { _ in alphabet[rng.below(alphabet.count)] }
        case 2:
            var bytes = Array(examples[rng.below(examples.count)].utf8)
            for _ in 0..<(1 + rng.below(3)) where !bytes.isEmpty {
                let at = rng.below(bytes.count)
                switch rng.below(3) {
                case 0: bytes[at] = alphabet[rng.below(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[rng.below(alphabet.count)], at: at)
                }
            }
            return bytes
        default:
            return Array(examples[rng.below(examples.count)].utf8)
        }
    }

    @Test func hundredThousandRandomLines() {
        var rng = TestGenerator(seed: 0xB_C260)
        var framer = LineFramer.commandInput()
        var counts = (text: 0, invalid: 0, tooLong: 0, parsed: 0, parseErrors: 0, valid: 0, rejected: 0)
        let total = 100_000
        var stream: [UInt8] = []
        var expectedLines = 0
        for _ in 0..<total {
            // Terminators stripped from the body so each generated line is exactly one line.
            let body = Self.randomLine(&rng).filter { $0 != 0x0D && $0 != 0x0A }
            if !body.isEmpty { expectedLines += 1 }
            stream += body
            stream += [[0x0D], [0x0A], [0x0D, 0x0A], [0x0D, 0x0D, 0x0A]][rng.below(4)]
        }
        var framed: [FramedLine] = []
        var i = 0
        while i < stream.count {
            let size = 1 + rng.below(300)
            framed += framer.append(stream[i..<min(stream.count, i + size)])
            i += size
        }
        #expect(framed.count == expectedLines)
        for line in framed {
            switch line.content {
            case .tooLong: counts.tooLong += 1
            case .invalid: counts.invalid += 1
            case .text(let text):
                counts.text += 1
                do {
                    let parsed = try ATCommandLine.parse(text)
                    counts.parsed += 1
                    // The canonical form parses back to the same command.
                    #expect((try? ATCommandLine.parse(parsed.formatted)) == parsed, "\(text)")
                    switch Result(catching: { () throws(CommandValidationError) in try CommandCatalogue.bc260y.validate(parsed) }) {
                    case .success: counts.valid += 1
                    case .failure(let error): counts.rejected += 1; #expect(!error.description.isEmpty)
                    }
                } catch {
                    counts.parseErrors += 1
                    #expect(error.offset >= 0 && error.offset <= text.utf8.count, "\(text): \(error)")
                }
            }
        }
        #expect(counts.text + counts.invalid + counts.tooLong == framed.count)
        #expect(counts.parsed + counts.parseErrors == counts.text)
        #expect(counts.valid + counts.rejected == counts.parsed)
        // Every family must have been exercised for the test to mean something.
        #expect(counts.invalid > 1000)
        #expect(counts.parseErrors > 1000)
        #expect(counts.valid > 1000)
        #expect(counts.rejected > 1000)
    }

    @Test func randomResponseLinesNeverCrashAndSettleAfterOneReading() {
        var rng = TestGenerator(seed: 7)
        for _ in 0..<20_000 {
            var bytes = Self.randomLine(&rng)
            if rng.below(2) == 0 { bytes = Array("+QLAURC: ".utf8) + bytes.dropFirst(min(2, bytes.count)) }
            let text = String(decoding: bytes, as: UTF8.self)
            let once = ATResponseLine.parse(text)
            #expect(ATResponseLine.parse(once.text) == once, "\(text)")
            _ = URC(once)
        }
    }

    @Test func randomTypedValuesDecodeOrExplain() {
        var rng = TestGenerator(seed: 42)
        let values: [ATValue] = [.integer(0), .integer(1), .integer(-32768), .integer(70000), .string(""), .string("abcd"),
                                 .string("0A1b"), .string("0G"), .token("1.5"), .token("-2e3"), .token("inf"), .empty, .string("中")]
        for _ in 0..<20_000 {
            let type = Int64(rng.below(8)) - 1
            let length = Int64(rng.below(12)) - 1
            let value = values[rng.below(values.count)]
            do {
                let decoded = try ATTypedValue.decode(type: type, length: length, value: value)
                // What the module would print reads back to the same value.
                #expect(try ATTypedValue.decode(type: decoded.valueType.rawValue, length: Int64(decoded.length), value: decoded.atValue) == decoded)
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }
}
