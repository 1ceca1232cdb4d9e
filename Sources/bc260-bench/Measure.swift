import Foundation

/// Wall-clock rate measurement for the benchmarks (never used by tests).
enum Measure {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Runs `body` in growing batches until `seconds` passed; returns operations per second.
    /// `body(n)` must do n operations and return a value that depends on them (kept alive).
    static func rate(seconds: Double = 1.0, _ body: (Int) -> Int) -> Double {
        var sink = 0
        _ = body(1000)  // warm up
        var n = 1000
        var done = 0
        let start = now()
        var elapsed = 0.0
        while elapsed < seconds {
            sink &+= body(n)
            done += n
            elapsed = now() - start
            if elapsed < seconds / 4 { n *= 2 }
        }
        if sink == 42 { print("") }  // keeps `sink` observable
        return Double(done) / elapsed
    }

    static func format(_ rate: Double) -> String {
        if rate >= 1e6 { return String(format: "%.2f M/s", rate / 1e6) }
        if rate >= 1e3 { return String(format: "%.1f k/s", rate / 1e3) }
        return String(format: "%.1f /s", rate)
    }
}
