import Foundation

extension Measure {
    /// This thread's CPU time in seconds: on a shared machine the rate per CPU second says what
    /// the code costs, whatever share of the cores it got.
    static func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// ``rate(seconds:_:)`` together with the operations per second of CPU time spent.
    static func rateAndCPURate(seconds: Double = 1.0, _ body: (Int) -> Int) -> (wall: Double, cpu: Double) {
        var operations = 0
        var cpu = 0.0
        let wall = rate(seconds: seconds) { n in
            let start = threadCPUTime()
            defer { cpu += threadCPUTime() - start }
            operations += n
            return body(n)
        }
        return (wall, cpu > 0 ? Double(operations) / cpu : 0)
    }
}
