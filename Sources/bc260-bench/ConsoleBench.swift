import CoAP
import Console
import Foundation

/// The console's frame costs, without a terminal: the screen model rendered into the grid the
/// ncurses driver copies out. First frame, key to frame, and a 1,000,000-line log paged
/// through (frame times and resident memory; the log's cap keeps memory flat).
enum ConsoleBench {
    struct Result {
        var firstFrame: Double
        var keystroke: (median: Double, worst: Double)
        var paging: (median: Double, worst: Double, frames: Int)
        var residentBefore: Int
        var residentAtCap: Int
        var residentAfter: Int
    }

    static func run(width: Int = 200, height: Int = 60) -> Result {
        // First frame: a fresh state (the catalogue, the hint) drawn once.
        let start = Measure.now()
        var state = ConsoleState()
        state.received(Array("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n".utf8), now: Instant(milliseconds: 0))
        var frame = ConsoleScreen.render(state, now: Instant(milliseconds: 1), width: width, height: height)
        let firstFrame = Measure.now() - start

        // Keystroke to screen: each key through ConsoleState, then the whole frame.
        var keyTimes: [Double] = []
        for (i, character) in #"AT+QLACONFIG=0,"180.101.147.115",5683,"867724030023557",300,3"#.enumerated() {
            let t = Measure.now()
            _ = state.handle(.character(character), now: Instant(milliseconds: Int64(10 + i)))
            frame = ConsoleScreen.render(state, now: Instant(milliseconds: Int64(10 + i)), width: width, height: height)
            keyTimes.append(Measure.now() - t)
        }

        // 1,000,000 lines in, the view paged up through what the cap keeps, then back down.
        let residentBefore = residentBytes()
        var residentAtCap = 0
        let line = Array("\r\n+QLAURC: \"ping\",0\r\n".utf8)
        var now: Int64 = 1000
        for i in 0..<1_000_000 {
            state.received(line, now: Instant(milliseconds: now))
            now += 1
            if i == 20_000 { residentAtCap = residentBytes() }
        }
        state.logPageRows = ConsoleScreen.logRows(width: width, height: height)
        var pageTimes: [Double] = []
        for key in Array(repeating: Key.pageUp, count: 400) + Array(repeating: Key.pageDown, count: 400) {
            let t = Measure.now()
            _ = state.handle(key, now: Instant(milliseconds: now))
            frame = ConsoleScreen.render(state, now: Instant(milliseconds: now), width: width, height: height)
            pageTimes.append(Measure.now() - t)
        }
        if frame.grid.width == 0 { print("") }  // keeps the frame observable
        return Result(firstFrame: firstFrame, keystroke: summary(keyTimes), paging: (summary(pageTimes).median, summary(pageTimes).worst, pageTimes.count),
                      residentBefore: residentBefore, residentAtCap: residentAtCap, residentAfter: residentBytes())
    }

    private static func summary(_ times: [Double]) -> (median: Double, worst: Double) {
        let sorted = times.sorted()
        return (sorted.isEmpty ? 0 : sorted[sorted.count / 2], sorted.last ?? 0)
    }

    /// VmRSS from /proc/self/status, in bytes (0 where it cannot be read).
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}
