import CoAP

/// Whether a serial device is usable, and what to do when it goes away: the sans-I/O half of
/// `SerialLinkDriver`.
///
/// Contract: it never touches a device or reads a clock. Each event (start, open succeeded or
/// failed, device lost, time advanced to `now`) returns actions for the caller: open the port
/// and report back, close it, report an event. After a loss the port is closed at once and
/// reopened every `retryInterval` milliseconds, counted from the loss and then from each failed
/// attempt, never earlier; the first success reports `reconnected` with the downtime and the
/// number of attempts. An open that fails before the link was ever connected is retried the
/// same way. Events that do not fit the state (a loss while not connected, a result nobody
/// asked for) change nothing; an unasked-for successful open is answered with `.close`.
public struct SerialLink: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        /// Not started, or stopped.
        case idle
        /// `.open` was asked for; the result is awaited. `lostAt` is nil before the first
        /// connection.
        case opening(attempt: Int, lostAt: Instant?)
        case connected(since: Instant)
        /// Closed, trying again at `nextAttempt`.
        case retrying(lostAt: Instant?, nextAttempt: Instant, failedAttempts: Int)
    }

    /// What happened, for a log or a status line.
    public enum Event: Hashable, Sendable {
        /// The first open succeeded.
        case connected(at: Instant)
        /// The device went away.
        case lost(at: Instant, reason: SerialPortError)
        /// An open attempt (the first, or a retry after a loss) failed; the next is due at
        /// `nextAttempt`.
        case openFailed(at: Instant, attempt: Int, reason: SerialPortError, nextAttempt: Instant)
        /// An open succeeded after a loss, `downtime` milliseconds after it.
        case reconnected(at: Instant, downtime: Int64, attempts: Int)
    }

    public enum Action: Hashable, Sendable {
        /// Open (or reopen) the port now and report with `openSucceeded` or `openFailed`.
        case open
        /// Close the port: it is lost, or the link stopped.
        case close
        case report(Event)
    }

    /// Milliseconds between open attempts while the device is missing.
    public let retryInterval: Int64
    public private(set) var state: State = .idle

    public init(retryInterval: Int64) {
        self.retryInterval = max(1, retryInterval)
    }

    public var isConnected: Bool {
        if case .connected = state { return true }
        return false
    }

    /// When `advance(to:)` next has something to do, nil when nothing is scheduled.
    public var nextDeadline: Instant? {
        if case let .retrying(_, nextAttempt, _) = state { return nextAttempt }
        return nil
    }

    /// Asks for the first open. Does nothing unless idle.
    public mutating func start(now: Instant) -> [Action] {
        guard case .idle = state else { return [] }
        state = .opening(attempt: 1, lostAt: nil)
        return [.open]
    }

    /// Closes the port if connected and goes idle; no more attempts.
    public mutating func stop() -> [Action] {
        let wasConnected = isConnected
        state = .idle
        return wasConnected ? [.close] : []
    }

    public mutating func openSucceeded(now: Instant) -> [Action] {
        guard case let .opening(attempt, lostAt) = state else { return [.close] }
        state = .connected(since: now)
        guard let lostAt else { return [.report(.connected(at: now))] }
        return [.report(.reconnected(at: now, downtime: now - lostAt, attempts: attempt))]
    }

    public mutating func openFailed(_ reason: SerialPortError, now: Instant) -> [Action] {
        guard case let .opening(attempt, lostAt) = state else { return [] }
        let next = now + retryInterval
        state = .retrying(lostAt: lostAt, nextAttempt: next, failedAttempts: attempt)
        return [.report(.openFailed(at: now, attempt: attempt, reason: reason, nextAttempt: next))]
    }

    /// The device went away (end of file, EIO, a hangup): close it and start retrying.
    public mutating func deviceLost(_ reason: SerialPortError, now: Instant) -> [Action] {
        guard isConnected else { return [] }
        state = .retrying(lostAt: now, nextAttempt: now + retryInterval, failedAttempts: 0)
        return [.close, .report(.lost(at: now, reason: reason))]
    }

    /// Time moved on to `now`: asks for the next open attempt once it is due.
    public mutating func advance(to now: Instant) -> [Action] {
        guard case let .retrying(lostAt, nextAttempt, failed) = state, now >= nextAttempt else { return [] }
        state = .opening(attempt: failed + 1, lostAt: lostAt)
        return [.open]
    }
}
