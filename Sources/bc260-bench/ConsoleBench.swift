import CoAP
import Console
import Foundation

/// The console's render cost alone, without ncurses or a terminal: the screen model drawn into
/// the grid the ncurses driver copies out, for the same steps ``ConsoleTerminalBench`` times end
/// to end (first frame, a key, a page of a capped 1,000,000-line log), so that the difference
/// is what the terminal side costs.
enum ConsoleBench {
    struct Result {
        var firstFrame: Double
        var keystroke: ConsoleTerminalBench.Latencies
        var paging: ConsoleTerminalBench.Latencies
    }

    static func run(width: Int = 200, height: Int = 60) -> Result {
        // First frame: a fresh state (the catalogue, the hint) drawn once.
        let start = Measure.now()
        var state = ConsoleState(model: SessionModel(logCapacity: ConsoleTerminalBench.capacity))
        state.received(Array("\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n".utf8), now: Instant(milliseconds: 0))
        var frame = ConsoleScreen.render(state, now: Instant(milliseconds: 1), width: width, height: height)
        let firstFrame = Measure.now() - start

        // Keystroke: each key through ConsoleState, then the whole frame.
        var keys = ConsoleTerminalBench.Latencies(samples: [])
        for (i, character) in ConsoleTerminalBench.typed.enumerated() {
            let t = Measure.now()
            _ = state.handle(.character(character), now: Instant(milliseconds: Int64(10 + i)))
            frame = ConsoleScreen.render(state, now: Instant(milliseconds: Int64(10 + i)), width: width, height: height)
            keys.samples.append(Measure.now() - t)
        }

        // 1,000,000 lines in (the same URCs), the view paged up through what the cap keeps, then back down.
        var now: Int64 = 1000
        for first in stride(from: 0, to: 1_000_000, by: 1000) {
            state.received(ConsoleTerminalBench.urcs(from: first, count: 1000), now: Instant(milliseconds: now))
            now += 1
        }
        state.fit(width: width, height: height)
        var pages = ConsoleTerminalBench.Latencies(samples: [])
        for key in Array(repeating: Key.pageUp, count: 300) + Array(repeating: Key.pageDown, count: 300) {
            let t = Measure.now()
            _ = state.handle(key, now: Instant(milliseconds: now))
            frame = ConsoleScreen.render(state, now: Instant(milliseconds: now), width: width, height: height)
            pages.samples.append(Measure.now() - t)
        }
        if frame.grid.width == 0 { print("") }  // keeps the frame observable
        return Result(firstFrame: firstFrame, keystroke: keys, paging: pages)
    }
}
