import Foundation
import Glibc
import Synchronization
import Testing
import CoAP
@testable import Runtime

@Suite struct EventLoopTests {
    @Test func timersFireInOrderOfInstantThenOfScheduling() throws {
        let loop = EventLoop()
        let start = loop.now
        var fired: [(name: String, at: Instant, due: Instant)] = []
        for (name, offset) in [("c", 30), ("a", 10), ("b1", 20), ("b2", 20)] as [(String, Int64)] {
            let due = start + offset
            loop.schedule(at: due) { fired.append((name, loop.now, due)) }
        }
        #expect(loop.pendingTimerCount == 4)
        #expect(loop.nextTimerDeadline == start + 10)
        #expect(try loop.run(until: { fired.count == 4 }, timeout: 2000))
        #expect(fired.map(\.name) == ["a", "b1", "b2", "c"])
        for entry in fired { #expect(entry.at >= entry.due, "\(entry.name) fired early") }
        #expect(loop.pendingTimerCount == 0)
    }

    @Test func cancelledTimerNeverFires() throws {
        let loop = EventLoop()
        var fired: [String] = []
        let doomed = loop.schedule(after: 5) { fired.append("doomed") }
        loop.schedule(after: 20) { fired.append("kept") }
        loop.cancel(doomed)
        loop.cancel(doomed)   // a second cancel is harmless
        #expect(try loop.run(until: { !fired.isEmpty }, timeout: 2000))
        #expect(fired == ["kept"])
    }

    @Test func timerCanScheduleAndCancelFromItsCallback() throws {
        let loop = EventLoop()
        var fired: [String] = []
        var victim: EventLoop.TimerID?
        loop.schedule(after: 1) {
            fired.append("first")
            if let victim { loop.cancel(victim) }
            loop.schedule(at: loop.now) { fired.append("chained") }
        }
        victim = loop.schedule(after: 15) { fired.append("victim") }
        loop.schedule(after: 30) { fired.append("last"); loop.stop() }
        try loop.run()
        #expect(fired == ["first", "chained", "last"])
    }

    @Test func runUntilTimesOutWhenConditionNeverHolds() throws {
        let loop = EventLoop()
        let start = loop.now
        #expect(try loop.run(until: { false }, timeout: 30) == false)
        #expect(loop.now - start >= 30)
    }

    @Test func stopEndsRunFromAWatchedDescriptor() throws {
        let loop = EventLoop()
        let (readEnd, writeEnd) = try makePipe()
        defer { close(readEnd); close(writeEnd) }
        var received: [UInt8] = []
        var readiness: EventLoop.Readiness = []
        loop.watch(readEnd) { ready in
            readiness = ready
            var buffer = [UInt8](repeating: 0, count: 16)
            let count = read(readEnd, &buffer, buffer.count)
            if count > 0 { received += buffer[0..<count] }
            loop.stop()
        }
        loop.schedule(after: 5) { _ = write(writeEnd, "hi", 2) }
        try loop.run()
        #expect(received == Array("hi".utf8))
        #expect(readiness == .readable)
    }

    @Test func hangupAndUnwatch() throws {
        let loop = EventLoop()
        let (readEnd, writeEnd) = try makePipe()
        defer { close(readEnd) }
        var calls: [EventLoop.Readiness] = []
        var watch: EventLoop.WatchID?
        watch = loop.watch(readEnd) { ready in
            calls.append(ready)
            var byte: UInt8 = 0
            if read(readEnd, &byte, 1) == 0, let watch { loop.unwatch(watch) }   // end of file
        }
        close(writeEnd)
        #expect(try loop.run(until: { !calls.isEmpty }, timeout: 2000))
        #expect(calls.first?.contains(.hangup) == true)
        #expect(loop.watchCount == 0)
        // Unwatched: further passes make no more calls.
        try loop.runOnce(maximumWait: 5)
        #expect(calls.count == 1)
    }

    @Test func closedDescriptorIsReportedOnceAndDropped() throws {
        let loop = EventLoop()
        let (readEnd, writeEnd) = try makePipe()
        close(readEnd)
        close(writeEnd)
        var calls: [EventLoop.Readiness] = []
        loop.watch(readEnd) { calls.append($0) }
        try loop.runOnce(maximumWait: 100)
        try loop.runOnce(maximumWait: 5)
        #expect(calls == [.invalid])
        #expect(loop.watchCount == 0)
    }

    @Test func signalInterruptingPollDoesNotStopTheLoop() throws {
        installInterruptingHandler(SIGUSR1)
        // Test threads come from a pool that blocks signals; the executable's main thread does
        // not, so unblock SIGUSR1 here for the duration.
        var unblock = sigset_t(), previous = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let loop = EventLoop()
        let target = pthread_self()
        let signaller = SignalSender(target: target)
        signaller.start()
        defer { signaller.finish() }
        var timerFired = false
        // The loop sleeps in poll for this timer while the other thread interrupts it.
        loop.schedule(after: 400) { timerFired = true }
        let finished = try loop.run(until: { timerFired && loop.interruptedPollCount > 0 }, timeout: 3000)
        #expect(finished)
        #expect(loop.interruptedPollCount > 0)
    }
}

func makePipe() throws -> (Int32, Int32) {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw SocketError.lastError("pipe") }
    return (ends[0], ends[1])
}

/// A handler without SA_RESTART, so the signal makes `poll` fail with EINTR.
func installInterruptingHandler(_ signal: Int32) {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(signal, &action, nil)
}

/// Sends SIGUSR1 to one thread every 10 ms from a thread of its own until finished.
final class SignalSender: Sendable {
    let target: pthread_t
    let stopFlag = Atomic<Bool>(false)
    let exited = Atomic<Bool>(false)
    init(target: pthread_t) { self.target = target }

    func start() {
        let thread = Thread { [self] in
            for _ in 0..<300 where !stopFlag.load(ordering: .relaxed) {
                usleep(10_000)
                if stopFlag.load(ordering: .relaxed) { break }
                pthread_kill(target, SIGUSR1)
            }
            exited.store(true, ordering: .relaxed)
        }
        thread.start()
    }

    /// Stops the signals and waits (bounded) for the thread to leave, so no signal arrives late.
    func finish() {
        stopFlag.store(true, ordering: .relaxed)
        for _ in 0..<200 where !exited.load(ordering: .relaxed) { usleep(5_000) }
    }
}

@Suite struct SignalWatchTests {
    @Test func signalBecomesALoopCallback() throws {
        // Pool threads block signals; unblock SIGUSR2 on this one while the test runs.
        var unblock = sigset_t(), previous = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGUSR2)
        pthread_sigmask(SIG_UNBLOCK, &unblock, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

        let loop = EventLoop()
        var seen: [Int32] = []
        let watch = try SignalWatch(signals: [SIGUSR2], loop: loop) { seen.append($0) }
        defer { watch.cancel() }
        raise(SIGUSR2)   // would kill the process if the watch were not in place
        raise(SIGUSR2)
        #expect(seen.isEmpty, "the handler runs from the loop, not in signal context")
        #expect(try loop.run(until: { seen.count == 2 }, timeout: 2000))
        #expect(seen == [SIGUSR2, SIGUSR2])
        watch.cancel()
        #expect(loop.watchCount == 0)
    }

    @Test func outOfRangeSignalIsRejected() {
        let loop = EventLoop()
        #expect(throws: SocketError.system(call: "sigaction", subject: "signal 999", errno: EINVAL)) {
            try SignalWatch(signals: [999], loop: loop) { _ in }
        }
    }
}
