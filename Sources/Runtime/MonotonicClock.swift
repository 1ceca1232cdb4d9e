#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoAP

/// The wall-side clock for live runs: milliseconds on `CLOCK_MONOTONIC` since the clock was
/// made, so a live session starts near t=0 like a virtual one and never jumps with NTP.
public struct MonotonicClock: Sendable {
    private let originNanoseconds: Int64

    public init() { originNanoseconds = MonotonicClock.nanoseconds() }

    /// Milliseconds since `init`, rounded down.
    public func now() -> Instant {
        Instant(milliseconds: (MonotonicClock.nanoseconds() - originNanoseconds) / 1_000_000)
    }

    private static func nanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
