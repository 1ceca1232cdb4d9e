#if canImport(Glibc)
import Glibc
#endif

/// The wall clock, read only by the driver (``ConsoleRunner``): the time of day for the log's
/// clock timestamps and the date for file names and headers. Local time, as the person's
/// terminal shows it.
enum WallClock {
    /// Milliseconds since local midnight.
    static func timeOfDayMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var local = tm()
        localtime_r(&seconds, &local)
        let s = Int64(local.tm_hour) * 3600 + Int64(local.tm_min) * 60 + Int64(local.tm_sec)
        return s * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// `2026-11-25 18:40:01`, or `20261125-184001` when `compact`.
    static func dateTime(compact: Bool = false) -> String {
        var seconds = time(nil)
        var local = tm()
        localtime_r(&seconds, &local)
        let p = { (n: Int32) in n < 10 ? "0\(n)" : "\(n)" }
        let date = "\(local.tm_year + 1900)" + (compact ? "" : "-") + p(local.tm_mon + 1) + (compact ? "" : "-") + p(local.tm_mday)
        let clock = p(local.tm_hour) + (compact ? "" : ":") + p(local.tm_min) + (compact ? "" : ":") + p(local.tm_sec)
        return date + (compact ? "-" : " ") + clock
    }
}
