import Glibc

// Bounded waits for the tests that meet the kernel or another process: `poll` with a timeout,
// never a bare sleep, and deadlines on the monotonic clock.

/// Polls `fd` for `events` at most `milliseconds`; true when something was reported.
public func waitFor(_ fd: Int32, events: Int32 = Int32(POLLIN), milliseconds: Int32) -> Bool {
    var entry = pollfd(fd: fd, events: Int16(events), revents: 0)
    while true {
        let result = poll(&entry, 1, milliseconds)
        if result < 0, errno == EINTR { continue }
        return result > 0
    }
}

/// Milliseconds on the monotonic clock, for test deadlines.
public func monotonicMilliseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
}

/// Checks `condition` every millisecond until it holds or `milliseconds` pass, for state the
/// kernel updates asynchronously and that no descriptor announces.
public func eventually(milliseconds: Int64 = 2000, _ condition: () -> Bool) -> Bool {
    let deadline = monotonicMilliseconds() + milliseconds
    while !condition() {
        guard monotonicMilliseconds() < deadline else { return false }
        _ = poll(nil, 0, 1)
    }
    return true
}
