#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the C signal handler writes, by signal number (-1: not watched). Allocated before any
/// handler is installed; the handler only loads from it, which is async-signal-safe.
nonisolated(unsafe) private let signalWriteEnds: UnsafeMutablePointer<Int32> = {
    let table = UnsafeMutablePointer<Int32>.allocate(capacity: Int(SignalWatch.signalLimit))
    table.initialize(repeating: -1, count: Int(SignalWatch.signalLimit))
    return table
}()

/// Turns POSIX signals (SIGINT, SIGTERM, SIGHUP, …) into ordinary callbacks on an `EventLoop`,
/// so a Ctrl-C can end a session cleanly instead of killing it mid-write.
///
/// Contract: while active, the listed signals no longer take their default action; each
/// delivery calls `handler(signal)` from the loop (never from signal context). The C handler
/// only writes one byte to a pipe (the self-pipe pattern); deliveries that arrive while the
/// pipe is full are coalesced. `cancel()` restores the previous dispositions. Only one watch per
/// signal at a time: a second watch for the same signal replaces the first's pipe. Signals are
/// delivered to a thread that does not block them (the main thread of an executable).
public final class SignalWatch {
    static let signalLimit: Int32 = 65

    public let signals: [Int32]
    private let loop: EventLoop
    private let handler: (Int32) -> Void
    private var readEnd: Int32 = -1
    private var writeEnd: Int32 = -1
    private var watchID: EventLoop.WatchID?
    private var previous: [Int32: sigaction] = [:]

    public init(signals: [Int32], loop: EventLoop, handler: @escaping (Int32) -> Void) throws(SocketError) {
        self.signals = signals
        self.loop = loop
        self.handler = handler
        for signal in signals where signal <= 0 || signal >= SignalWatch.signalLimit {
            throw .system(call: "sigaction", subject: "signal \(signal)", errno: EINVAL)
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SocketError.lastError("pipe", "for signals") }
        readEnd = ends[0]
        writeEnd = ends[1]
        for fd in ends {
            // Non-blocking: a full pipe must never block the signal handler or the drain.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        for signal in signals {
            signalWriteEnds[Int(signal)] = writeEnd
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                guard signal > 0, signal < SignalWatch.signalLimit else { return }
                let fd = signalWriteEnds[Int(signal)]
                guard fd >= 0 else { return }
                let saved = currentErrno()
                var byte = UInt8(truncatingIfNeeded: signal)
                _ = write(fd, &byte, 1)
                restoreErrno(saved)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            guard sigaction(signal, &action, &old) == 0 else {
                let error = SocketError.lastError("sigaction", "signal \(signal)")
                cancel()
                throw error
            }
            previous[signal] = old
        }
        watchID = loop.watch(readEnd) { _ in self.drain() }
    }

    /// Restores the previous handlers and stops watching. Safe to call twice.
    public func cancel() {
        for (signal, old) in previous {
            var old = old
            sigaction(signal, &old, nil)
            if signalWriteEnds[Int(signal)] == writeEnd { signalWriteEnds[Int(signal)] = -1 }
        }
        previous.removeAll()
        if let watchID { loop.unwatch(watchID) }
        watchID = nil
        if readEnd >= 0 { close(readEnd); readEnd = -1 }
        if writeEnd >= 0 { close(writeEnd); writeEnd = -1 }
    }

    private func drain() {
        var bytes = [UInt8](repeating: 0, count: 64)
        while readEnd >= 0 {
            let count = bytes.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            for byte in bytes[0..<count] { handler(Int32(byte)) }
        }
    }
}

@inline(__always) private func restoreErrno(_ value: Int32) {
    #if canImport(Glibc)
    Glibc.errno = value
    #else
    Darwin.errno = value
    #endif
}

@available(*, unavailable)
extension SignalWatch: Sendable {}
