#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoAP

/// Keeps a `SerialPort` open inside an `EventLoop`: received bytes go to `onBytes`, link changes
/// (connected, lost, open failed, reconnected) to `onEvent`, and a vanished device is reopened
/// every `retryInterval` milliseconds until it is back. The decisions are `SerialLink`'s; this
/// class only does the I/O they ask for.
///
/// Contract: a loss is detected from a read (end of file, EIO, ENXIO, ENODEV), a write, or a
/// poll hangup or error, after the bytes still waiting have been delivered. `send` queues
/// bytes while connected and writes what the driver takes; the rest is retried every
/// `flushInterval` milliseconds (the loop watches for input only). Bytes queued beyond
/// `maximumPendingOutput`, sent while not connected, or still queued at a loss are dropped and
/// counted in `droppedOutputCount`, as on a real line with nobody listening. The loop keeps this
/// object alive while it watches or has a timer; `stop()` ends both.
public final class SerialLinkDriver {
    public let path: String
    public let configuration: SerialPort.Configuration
    public var onBytes: ([UInt8]) -> Void
    public var onEvent: (SerialLink.Event) -> Void
    public var maximumPendingOutput = 64 * 1024
    public var flushInterval: Int64 = 10
    public private(set) var link: SerialLink
    /// The port while one exists (open or lost); nil before the first successful open.
    public private(set) var port: SerialPort?
    public private(set) var droppedOutputCount = 0

    private let loop: EventLoop
    private var pendingOutput: [UInt8] = []
    private var watchID: EventLoop.WatchID?
    private var retryTimer: EventLoop.TimerID?
    private var flushTimer: EventLoop.TimerID?

    public init(path: String, configuration: SerialPort.Configuration = .init(), retryInterval: Int64 = 1000,
                loop: EventLoop, onBytes: @escaping ([UInt8]) -> Void = { _ in },
                onEvent: @escaping (SerialLink.Event) -> Void = { _ in }) {
        self.path = path
        self.configuration = configuration
        self.loop = loop
        self.onBytes = onBytes
        self.onEvent = onEvent
        link = SerialLink(retryInterval: retryInterval)
    }

    public var isConnected: Bool { link.isConnected }

    /// Opens the port now (or starts retrying if it is missing).
    public func start() {
        perform(link.start(now: loop.now))
    }

    /// Closes the port, stops retrying and drops queued output.
    public func stop() {
        perform(link.stop())
        closePort()
        port = nil
        cancelTimers()
    }

    /// Queues `bytes` for the device and writes what it takes now. False (and the bytes
    /// counted as dropped) when not connected; a queue overflow drops only the excess.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        guard isConnected else {
            droppedOutputCount += bytes.count
            return false
        }
        let room = max(0, maximumPendingOutput - pendingOutput.count)
        pendingOutput += bytes.prefix(room)
        droppedOutputCount += bytes.count - min(room, bytes.count)
        flush()
        return true
    }

    /// Bytes queued but not yet taken by the device.
    public var pendingOutputCount: Int { pendingOutput.count }

    // MARK: Carrying out the link's actions

    private func perform(_ actions: [SerialLink.Action]) {
        for action in actions {
            switch action {
            case .open: attemptOpen()
            case .close: closePort()
            case let .report(event): onEvent(event)
            }
        }
        scheduleRetry()
    }

    private func attemptOpen() {
        do throws(SerialPortError) {
            if let port { try port.reopen() } else { port = try SerialPort(path: path, configuration: configuration) }
        } catch {
            perform(link.openFailed(error, now: loop.now))
            return
        }
        if let fd = port?.fileDescriptor {
            watchID = loop.watch(fd) { self.portReady($0) }
        }
        perform(link.openSucceeded(now: loop.now))
    }

    private func closePort() {
        if let watchID { loop.unwatch(watchID) }
        watchID = nil
        port?.close()
        droppedOutputCount += pendingOutput.count
        pendingOutput.removeAll()
        if let flushTimer { loop.cancel(flushTimer) }
        flushTimer = nil
    }

    private func scheduleRetry() {
        if let retryTimer { loop.cancel(retryTimer) }
        retryTimer = nil
        guard let deadline = link.nextDeadline else { return }
        retryTimer = loop.schedule(at: deadline) {
            self.retryTimer = nil
            self.perform(self.link.advance(to: self.loop.now))
        }
    }

    private func cancelTimers() {
        if let retryTimer { loop.cancel(retryTimer) }
        if let flushTimer { loop.cancel(flushTimer) }
        retryTimer = nil
        flushTimer = nil
    }

    // MARK: Bytes

    /// Reads of up to 4 KiB per readiness: 64 KiB, about 3,000 lines, before the loop turns.
    static let readsPerTurn = 16

    private func portReady(_ readiness: EventLoop.Readiness) {
        guard let port, port.isOpen else { return }
        do throws(SerialPortError) {
            // Deliver what is waiting first: a hangup can follow the last bytes. A flood is
            // taken a slice per turn of the loop (which polls again at once), so the screen
            // and the keys get their turns in between.
            for _ in 0..<Self.readsPerTurn {
                guard port.isOpen, let bytes = try port.read() else {
                    if port.isOpen, let condition = port.lostCondition(for: readiness) { lost(condition) }
                    return
                }
                onBytes(bytes)
            }
        } catch {
            lost(error)
        }
    }

    private func flush() {
        guard let port, isConnected else { return }
        do throws(SerialPortError) {
            while !pendingOutput.isEmpty {
                let written = try port.write(pendingOutput[...])
                if written == 0 { break }
                pendingOutput.removeFirst(written)
            }
        } catch {
            lost(error)
            return
        }
        if !pendingOutput.isEmpty && flushTimer == nil {
            flushTimer = loop.schedule(after: flushInterval) {
                self.flushTimer = nil
                self.flush()
            }
        }
    }

    private func lost(_ error: SerialPortError) {
        // Any failure on an open port leaves it unusable: treat it as a loss and reopen.
        perform(link.deviceLost(error, now: loop.now))
    }
}

@available(*, unavailable)
extension SerialLinkDriver: Sendable {}
