#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoAP

/// A single-threaded `poll()` loop: file descriptors that call back when ready, timers at an
/// `Instant`, and a monotonic millisecond clock.
///
/// Contract: everything runs on the thread that calls `run`; callbacks may watch, unwatch,
/// schedule, cancel and stop freely. Timers fire at or after their instant (never early), in
/// order of instant and then of scheduling. A timer scheduled while timers are firing waits for
/// the next pass even when already due, so a self-rescheduling timer cannot starve the fds.
/// A signal interrupting `poll` (EINTR) is absorbed. Watching is generic over fds (sockets,
/// stdin, ptys, serial ports): the callback gets the `Readiness` and does its own reading.
public final class EventLoop {
    /// Identifies a scheduled timer for `cancel`.
    public struct TimerID: Hashable, Sendable { let value: UInt64 }
    /// Identifies a watched descriptor for `unwatch`.
    public struct WatchID: Hashable, Sendable { let value: UInt64 }

    /// What `poll` reported for a watched descriptor.
    public struct Readiness: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Data (or end of file) can be read without blocking.
        public static let readable = Readiness(rawValue: 1 << 0)
        /// The other end hung up (a closed pty, a pipe whose writer left).
        public static let hangup = Readiness(rawValue: 1 << 1)
        /// An error condition is pending on the descriptor.
        public static let error = Readiness(rawValue: 1 << 2)
        /// The descriptor is not open; the loop drops the watch after this callback.
        public static let invalid = Readiness(rawValue: 1 << 3)
    }

    private struct Timer {
        var id: TimerID
        var deadline: Instant
        var action: () -> Void
    }

    private struct Watch {
        var id: WatchID
        var fd: Int32
        var onReady: (Readiness) -> Void
    }

    private let clock: MonotonicClock
    private var timers: [Timer] = []          // sorted by (deadline, id)
    private var watches: [Watch] = []         // in registration order
    private var nextID: UInt64 = 0
    private var stopRequested = false
    /// How many times a signal interrupted `poll` (EINTR); kept for tests and diagnostics.
    public private(set) var interruptedPollCount = 0

    public init(clock: MonotonicClock = MonotonicClock()) {
        self.clock = clock
    }

    /// The current time on the loop's monotonic clock.
    public var now: Instant { clock.now() }

    /// How many timers are pending.
    public var pendingTimerCount: Int { timers.count }

    /// When the earliest pending timer is due, nil when none is pending.
    public var nextTimerDeadline: Instant? { timers.first?.deadline }

    // MARK: Timers

    /// Runs `action` once, at or after `deadline`. A deadline in the past fires on the next pass.
    @discardableResult
    public func schedule(at deadline: Instant, _ action: @escaping () -> Void) -> TimerID {
        let id = TimerID(value: makeID())
        let timer = Timer(id: id, deadline: deadline, action: action)
        // Later ids sort after earlier ones at the same deadline: insert after every timer due
        // at or before this one.
        var low = 0, high = timers.count
        while low < high {
            let mid = (low + high) / 2
            if timers[mid].deadline <= deadline { low = mid + 1 } else { high = mid }
        }
        timers.insert(timer, at: low)
        return id
    }

    /// Runs `action` once, `milliseconds` from now.
    @discardableResult
    public func schedule(after milliseconds: Int64, _ action: @escaping () -> Void) -> TimerID {
        schedule(at: now + milliseconds, action)
    }

    /// Cancels a pending timer; cancelling one that fired or was cancelled does nothing.
    public func cancel(_ id: TimerID) {
        timers.removeAll { $0.id == id }
    }

    // MARK: Descriptors

    /// Calls `onReady` whenever `fd` is readable, hung up or in error. The loop never reads or
    /// closes `fd`; the owner does both, and unwatches before closing.
    @discardableResult
    public func watch(_ fd: Int32, _ onReady: @escaping (Readiness) -> Void) -> WatchID {
        let id = WatchID(value: makeID())
        watches.append(Watch(id: id, fd: fd, onReady: onReady))
        return id
    }

    /// Stops watching; unknown ids are ignored.
    public func unwatch(_ id: WatchID) {
        watches.removeAll { $0.id == id }
    }

    /// How many descriptors are watched.
    public var watchCount: Int { watches.count }

    // MARK: Running

    /// Asks the running (or next) `run()` to return after the current pass.
    public func stop() { stopRequested = true }

    /// Runs until `stop()`. Throws only if `poll` itself fails with something other than EINTR.
    public func run() throws(SocketError) {
        defer { stopRequested = false }
        while !stopRequested {
            try runOnce(maximumWait: nil)
        }
    }

    /// Runs until `condition` holds (checked before each pass) or `timeout` milliseconds pass,
    /// whichever is first; returns whether the condition held. Meant for tests and startup
    /// handshakes; `stop()` also ends it (returning the condition's value).
    @discardableResult
    public func run(until condition: () -> Bool, timeout milliseconds: Int64) throws(SocketError) -> Bool {
        let deadline = now + milliseconds
        defer { stopRequested = false }
        while true {
            if condition() { return true }
            if stopRequested { return false }
            let remaining = deadline - now
            if remaining <= 0 { return false }
            try runOnce(maximumWait: remaining)
        }
    }

    /// One pass: fires due timers, then polls for at most `maximumWait` milliseconds (nil:
    /// until the next timer or forever) and dispatches ready descriptors.
    public func runOnce(maximumWait: Int64?) throws(SocketError) {
        fireDueTimers()
        if stopRequested { return }
        var wait = maximumWait ?? -1
        if let next = timers.first?.deadline {
            let untilTimer = max(0, next - now)
            wait = wait < 0 ? untilTimer : min(wait, untilTimer)
        }
        try pollOnce(timeout: Int32(clamping: wait))
        fireDueTimers()
    }

    private func fireDueTimers() {
        let passLimit = nextID   // timers scheduled during this pass wait for the next one
        let current = now
        while let first = timers.first, first.deadline <= current, first.id.value <= passLimit {
            timers.removeFirst()
            first.action()
            if stopRequested { return }
        }
    }

    private func pollOnce(timeout: Int32) throws(SocketError) {
        var fds = watches.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        let ids = watches.map(\.id)
        let result = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeout) }
        if result < 0 {
            let code = currentErrno()
            if code == EINTR { interruptedPollCount += 1; return }
            throw .system(call: "poll", subject: "", errno: code)
        }
        guard result > 0 else { return }
        for (index, entry) in fds.enumerated() where entry.revents != 0 {
            // An earlier callback in this pass may have unwatched this one.
            guard let watch = watches.first(where: { $0.id == ids[index] }) else { continue }
            var readiness: Readiness = []
            let events = Int32(entry.revents)
            if events & Int32(POLLIN) != 0 { readiness.insert(.readable) }
            if events & Int32(POLLHUP) != 0 { readiness.insert(.hangup) }
            if events & Int32(POLLERR) != 0 { readiness.insert(.error) }
            if events & Int32(POLLNVAL) != 0 { readiness.insert(.invalid) }
            watch.onReady(readiness)
            // A closed descriptor would make every poll return at once: stop watching it.
            if readiness.contains(.invalid) { unwatch(watch.id) }
        }
    }

    private func makeID() -> UInt64 {
        nextID += 1
        return nextID
    }
}

@available(*, unavailable)
extension EventLoop: Sendable {}
