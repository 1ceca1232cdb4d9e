import Glibc
import Testing
import CoAP
@testable import Runtime

private func t(_ milliseconds: Int64) -> Instant { Instant(milliseconds: milliseconds) }
private let gone = SerialPortError.deviceLost(path: "/dev/ttyUSB0", detail: "read", errno: EIO)
private let missing = SerialPortError.system(call: "open", path: "/dev/ttyUSB0", errno: ENOENT)

/// `SerialLink` in virtual time: no device, no clock.
@Suite struct SerialLinkTests {
    @Test func firstOpenSucceeds() {
        var link = SerialLink(retryInterval: 500)
        #expect(link.state == .idle)
        #expect(link.start(now: t(0)) == [.open])
        #expect(link.start(now: t(1)) == [])
        #expect(link.openSucceeded(now: t(3)) == [.report(.connected(at: t(3)))])
        #expect(link.isConnected)
        #expect(link.nextDeadline == nil)
    }

    @Test func lossRetriesEveryIntervalAndReportsReconnection() {
        var link = SerialLink(retryInterval: 500)
        _ = link.start(now: t(0))
        _ = link.openSucceeded(now: t(0))

        #expect(link.deviceLost(gone, now: t(1000)) == [.close, .report(.lost(at: t(1000), reason: gone))])
        #expect(!link.isConnected)
        #expect(link.nextDeadline == t(1500))
        // Never early: one millisecond before the deadline nothing happens.
        #expect(link.advance(to: t(1499)) == [])
        #expect(link.advance(to: t(1500)) == [.open])
        #expect(link.state == .opening(attempt: 1, lostAt: t(1000)))
        #expect(link.nextDeadline == nil)
        #expect(link.openFailed(missing, now: t(1502)) ==
                [.report(.openFailed(at: t(1502), attempt: 1, reason: missing, nextAttempt: t(2002)))])
        #expect(link.advance(to: t(2001)) == [])
        #expect(link.advance(to: t(2002)) == [.open])
        #expect(link.openFailed(missing, now: t(2002)) ==
                [.report(.openFailed(at: t(2002), attempt: 2, reason: missing, nextAttempt: t(2502)))])
        // A late wakeup still makes only one attempt.
        #expect(link.advance(to: t(9000)) == [.open])
        #expect(link.advance(to: t(9000)) == [])
        #expect(link.openSucceeded(now: t(9001)) ==
                [.report(.reconnected(at: t(9001), downtime: 8001, attempts: 3))])
        #expect(link.state == .connected(since: t(9001)))
    }

    @Test func missingDeviceAtStartIsRetriedAndThenConnects() {
        var link = SerialLink(retryInterval: 250)
        _ = link.start(now: t(100))
        #expect(link.openFailed(missing, now: t(100)) ==
                [.report(.openFailed(at: t(100), attempt: 1, reason: missing, nextAttempt: t(350)))])
        #expect(link.advance(to: t(350)) == [.open])
        // Never connected before: the first success is `connected`, not `reconnected`.
        #expect(link.openSucceeded(now: t(351)) == [.report(.connected(at: t(351)))])
    }

    @Test func eventsThatDoNotFitTheStateChangeNothing() {
        var link = SerialLink(retryInterval: 500)
        #expect(link.deviceLost(gone, now: t(0)) == [])
        #expect(link.openFailed(missing, now: t(0)) == [])
        #expect(link.advance(to: t(10_000)) == [])
        // An open nobody asked for is closed again.
        #expect(link.openSucceeded(now: t(0)) == [.close])
        #expect(link.state == .idle)

        _ = link.start(now: t(0))
        _ = link.openSucceeded(now: t(0))
        _ = link.deviceLost(gone, now: t(10))
        // A second report of the same loss (read error, then POLLHUP) is ignored.
        #expect(link.deviceLost(gone, now: t(11)) == [])
        #expect(link.nextDeadline == t(510))
    }

    @Test func stopClosesAConnectedPortAndEndsRetrying() {
        var link = SerialLink(retryInterval: 500)
        _ = link.start(now: t(0))
        _ = link.openSucceeded(now: t(0))
        #expect(link.stop() == [.close])
        #expect(link.state == .idle)

        _ = link.start(now: t(0))
        _ = link.openFailed(missing, now: t(0))
        #expect(link.stop() == [])
        #expect(link.nextDeadline == nil)
        #expect(link.advance(to: t(1000)) == [])
    }

    @Test func retryIntervalIsAtLeastOneMillisecond() {
        var link = SerialLink(retryInterval: 0)
        _ = link.start(now: t(0))
        _ = link.openFailed(missing, now: t(0))
        #expect(link.nextDeadline == t(1))
    }
}
