import Testing
@testable import ATProtocol

@Suite struct LineFramerTests {
    private func texts(_ lines: [FramedLine]) -> [String] { lines.compactMap(\.text) }

    /// Feeds `input` split at every position given by `chunkSizes` (cycled).
    private func feed(_ input: [UInt8], chunks chunkSizes: [Int], framer: LineFramer = .commandInput()) -> [FramedLine] {
        var framer = framer
        var out: [FramedLine] = []
        var i = 0
        var k = 0
        while i < input.count {
            let size = max(1, chunkSizes[k % chunkSizes.count])
            out += framer.append(input[i..<min(input.count, i + size)])
            i += size
            k += 1
        }
        return out
    }

    @Test func everySplitGivesTheSameLines() {
        let input = Array("AT\r\nAT+QLAREG\rAT+QLACFG=\"platform\",1\n\r\n\r\r\nAT+CSQ\r\n".utf8)
        let expected = ["AT", "AT+QLAREG", "AT+QLACFG=\"platform\",1", "AT+CSQ"]
        #expect(texts(feed(input, chunks: [input.count])) == expected)
        #expect(texts(feed(input, chunks: [1])) == expected)
        for size in 2...9 { #expect(texts(feed(input, chunks: [size])) == expected) }
        #expect(texts(feed(input, chunks: [3, 1, 7, 2])) == expected)
    }

    @Test func crAndLfInSeparateReads() {
        var framer = LineFramer.commandInput()
        #expect(framer.append(Array("AT+QLAREG".utf8)).isEmpty)
        let atCR = framer.append([0x0D])
        #expect(texts(atCR) == ["AT+QLAREG"])
        #expect(atCR.first?.terminator == 0x0D)
        #expect(framer.append([0x0A]).isEmpty)
        #expect(!framer.hasPendingLine)
    }

    @Test func loneLFEndsALine() {
        var framer = LineFramer.commandInput()
        let lines = framer.append(Array("ATI\nATE0\n".utf8))
        #expect(texts(lines) == ["ATI", "ATE0"])
        #expect(lines.allSatisfy { $0.terminator == 0x0A })
    }

    @Test func threeLinesInOneRead() {
        var framer = LineFramer.commandInput()
        #expect(texts(framer.append(Array("AT\rATI\rAT+CGMR\r".utf8))) == ["AT", "ATI", "AT+CGMR"])
    }

    @Test func storms() {
        var framer = LineFramer.commandInput()
        let storm = [UInt8](repeating: 0x0D, count: 500) + [UInt8](repeating: 0x0A, count: 500)
            + Array((0..<1000).map { $0 % 3 == 0 ? UInt8(0x0A) : UInt8(0x0D) })
        #expect(framer.append(storm).isEmpty)
        #expect(texts(framer.append(Array("AT".utf8) + storm + Array("ATI".utf8) + storm)) == ["AT", "ATI"])
    }

    @Test func pendingBytesShowTheLineInProgress() {
        var framer = LineFramer.moduleOutput()
        _ = framer.append(Array("\r\nOK\r\nAT+Q".utf8))
        #expect(framer.pendingBytes == Array("AT+Q".utf8))
        framer.reset()
        #expect(!framer.hasPendingLine)
        #expect(framer.append([0x0D]).isEmpty)
    }

    @Test func echoRepeatsTheBytesAndTerminator() {
        var framer = LineFramer.commandInput()
        let line = framer.append(Array("at+qlastatus?\r".utf8))
        #expect(line.first?.echo == Array("at+qlastatus?\r".utf8))
    }

    @Test func lineAtTheLimitIsKeptAndOneByteMoreOverflows() {
        let limit = LineFramer.moduleCommandLineLimit
        var framer = LineFramer.commandInput()
        let exact = [UInt8](repeating: UInt8(ascii: "A"), count: limit)
        #expect(framer.append(exact + [0x0D]).first?.text?.utf8.count == limit)
        let over = [UInt8](repeating: UInt8(ascii: "A"), count: limit + 1)
        let result = framer.append(over + [0x0D])
        #expect(result.count == 1)
        #expect(result.first?.content == .tooLong(byteCount: limit + 1))
        #expect(result.first?.raw.count == limit)
        // The framer recovers: the next line is read normally.
        #expect(texts(framer.append(Array("AT\r".utf8))) == ["AT"])
    }

    @Test func hugeLineByteByByteStaysBounded() {
        var framer = LineFramer(maximumLineLength: 4096)
        for _ in 0..<100_000 { _ = framer.append(UInt8(ascii: "7")) }
        #expect(framer.pendingBytes.count == 4096)
        let end = framer.append(UInt8(0x0A))
        #expect(end?.content == .tooLong(byteCount: 100_000))
    }

    @Test func nulIsAnInvalidLine() {
        var framer = LineFramer.commandInput()
        let lines = framer.append([0x41, 0x54, 0x00, 0x49, 0x0D, 0x41, 0x54, 0x0D])
        #expect(lines.count == 2)
        #expect(lines.first?.content == .invalid(.nulByte(offset: 2)))
        #expect(lines.first?.raw == [0x41, 0x54, 0x00, 0x49])
        #expect(lines.last?.text == "AT")
    }

    @Test func invalidUTF8IsAnInvalidLine() {
        var framer = LineFramer.commandInput()
        let cases: [([UInt8], Int)] = [
            ([0x41, 0x54, 0xFF], 2),              // never valid
            ([0x41, 0xC3], 1),                    // truncated sequence
            ([0xE4, 0xB8, 0xAD, 0x80], 3),        // stray continuation after 中
            ([0xED, 0xA0, 0x80], 0),              // surrogate
            ([0xC0, 0xAF], 0),                    // overlong
        ]
        for (bytes, offset) in cases {
            let lines = framer.append(bytes + [0x0D])
            #expect(lines.first?.content == .invalid(.notUTF8(offset: offset)), "\(bytes)")
        }
        #expect(framer.append(Array("AT+QLACONFIG=0,\"中文\",1,\"e\",300,3\r".utf8)).first?.text != nil)
    }

    @Test func moduleOutputFraming() {
        let output = ATResponseLine.frame([.information("CEREG", .integer(0), .integer(1)), .ok])
            + URC.report(messageID: 8563).line.framed
        let bytes = Array(output.utf8)
        for size in [1, 2, 5, bytes.count] {
            let lines = feed(bytes, chunks: [size], framer: .moduleOutput()).compactMap(\.text)
            #expect(lines == ["+CEREG: 0,1", "OK", "+QLAURC: \"report\",8563"])
            #expect(lines.map(ATResponseLine.parse).map(\.text) == lines)
        }
    }
}
