import Glibc
import Testing
import CoAP
@testable import Runtime

@Suite struct LineInputTests {
    @Test func linesSplitAcrossReadsAndManyInOneRead() throws {
        let loop = EventLoop()
        let (readEnd, writeEnd) = try makePipe()
        defer { close(readEnd) }
        var lines: [String] = []
        var ended = 0
        let input = LineInput(fileDescriptor: readEnd, loop: loop, onLine: { lines.append($0) }, onEnd: { ended += 1 })
        // Each piece is written and consumed before the next, so reads really see the splits.
        for piece in ["he", "llo\r", "\nwor", "ld\nthird\n\nfo", "urth\r\n", "tail"] {
            _ = piece.utf8CString.withUnsafeBufferPointer { write(writeEnd, $0.baseAddress, $0.count - 1) }
            try loop.runOnce(maximumWait: 200)
        }
        #expect(lines == ["hello", "world", "third", "", "fourth"])
        close(writeEnd)
        #expect(try loop.run(until: { ended == 1 }, timeout: 2000))
        #expect(lines == ["hello", "world", "third", "", "fourth", "tail"])
        #expect(!input.isWatching)
        #expect(loop.watchCount == 0)
    }

    @Test func invalidUTF8IsRepairedNotFatal() throws {
        let loop = EventLoop()
        let (readEnd, writeEnd) = try makePipe()
        defer { close(readEnd) }
        var lines: [String] = []
        _ = LineInput(fileDescriptor: readEnd, loop: loop, onLine: { lines.append($0) })
        let bytes: [UInt8] = [0x41, 0xFF, 0xFE, 0x42, 0x0A]
        _ = write(writeEnd, bytes, bytes.count)
        close(writeEnd)
        #expect(try loop.run(until: { !lines.isEmpty }, timeout: 2000))
        #expect(lines == ["A\u{FFFD}\u{FFFD}B"])
    }

    @Test func overlongLineComesInPieces() throws {
        let loop = EventLoop()
        let (readEnd, writeEnd) = try makePipe()
        defer { close(readEnd) }
        var lines: [String] = []
        let input = LineInput(fileDescriptor: readEnd, loop: loop, onLine: { lines.append($0) })
        input.maximumLineLength = 4
        _ = write(writeEnd, "abcdefghij\nxy\n", 14)
        try loop.runOnce(maximumWait: 200)
        #expect(lines == ["abcd", "efgh", "ij", "xy"])
        // Unterminated and too long: handed over once it reaches the limit.
        _ = write(writeEnd, "123456", 6)
        try loop.runOnce(maximumWait: 200)
        #expect(lines.suffix(1) == ["1234"])
        close(writeEnd)
        #expect(try loop.run(until: { !input.isWatching }, timeout: 2000))
        #expect(lines.suffix(2) == ["1234", "56"])
    }
}
