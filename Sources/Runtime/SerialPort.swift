#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A serial device (a USB adapter such as `/dev/ttyUSB0`, or a pty slave) opened raw, 8N1, at a
/// chosen rate, non-blocking.
///
/// Contract:
/// - Opening sets raw mode, 8N1, the rate, CLOCAL, and RTS/CTS when configured, then reads the
///   settings back; a driver that silently kept something else fails the open with
///   `.settingsNotApplied` instead of producing garbage later.
/// - `read` returns nil when nothing is waiting; `write` returns how many bytes the driver took
///   (0 when its buffer is full). Neither blocks nor traps.
/// - A device that goes away is reported as `SerialPortError.deviceLost` (from `read` on end of
///   file, EIO, ENXIO or ENODEV, from `write` likewise, or from `lostCondition(for:)` on a poll
///   hangup or error), distinct from every other failure. The port then stays open until
///   `close()` or `reopen()`, which opens the same path again and fails (typically ENOENT)
///   until the device is back.
/// Not `Sendable`: it belongs to the thread of its event loop.
public final class SerialPort {
    /// How to set the line up.
    public struct Configuration: Hashable, Sendable {
        public var baudRate: BaudRate
        /// RTS/CTS (`CRTSCTS`); needs a cable and a device that wire both lines.
        public var hardwareFlowControl: Bool

        public init(baudRate: BaudRate = .b115200, hardwareFlowControl: Bool = false) {
            self.baudRate = baudRate
            self.hardwareFlowControl = hardwareFlowControl
        }
    }

    public let path: String
    public let configuration: Configuration
    /// The descriptor, for `EventLoop.watch`; -1 while closed.
    public private(set) var fileDescriptor: Int32 = -1
    /// The settings as read back after the last successful open.
    public private(set) var appliedSettings: TermiosSettings?

    /// Opens `path` with `configuration`.
    public init(path: String, configuration: Configuration = Configuration()) throws(SerialPortError) {
        self.path = path
        self.configuration = configuration
        try openDevice()
    }

    deinit { close() }

    public var isOpen: Bool { fileDescriptor >= 0 }

    /// Closes the descriptor. Safe to call twice; `reopen()` may follow.
    public func close() {
        guard fileDescriptor >= 0 else { return }
        Glibc.close(fileDescriptor)
        fileDescriptor = -1
    }

    /// Closes the port if open, then opens the same path with the same configuration. Fails
    /// (see `SerialPortError.isDeviceAbsent`) while the device is still missing.
    public func reopen() throws(SerialPortError) {
        close()
        try openDevice()
    }

    private func openDevice() throws(SerialPortError) {
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SerialPortError.lastError("open", path) }
        do throws(SerialPortError) {
            var attributes = try Termios.attributes(of: fd, path: path)
            Termios.makeRaw(&attributes)
            Termios.configureLine(&attributes, baudRate: configuration.baudRate,
                                  hardwareFlowControl: configuration.hardwareFlowControl)
            try Termios.apply(attributes, to: fd, path: path)
            let applied = try TermiosSettings(fileDescriptor: fd, path: path)
            if let mismatch = mismatch(applied) { throw .settingsNotApplied(path: path, detail: mismatch) }
            appliedSettings = applied
        } catch {
            Glibc.close(fd)
            throw error
        }
        fileDescriptor = fd
    }

    /// What differs between the configuration and the settings the driver reports, nil when
    /// nothing that matters does.
    private func mismatch(_ applied: TermiosSettings) -> String? {
        let matches = applied.inputBaudRate == configuration.baudRate
            && applied.outputBaudRate == configuration.baudRate
            && applied.stopBits == 1
            && applied.hardwareFlowControl == configuration.hardwareFlowControl
            && applied.isRaw
        if matches { return nil }
        let flow = configuration.hardwareFlowControl ? " rtscts" : ""
        return "asked for \(configuration.baudRate) 8N1\(flow) raw, driver has \(applied)"
    }

    /// The settings as they stand now (another program may have changed them).
    public func currentSettings() throws(SerialPortError) -> TermiosSettings {
        guard fileDescriptor >= 0 else { throw .closed(path: path) }
        return try TermiosSettings(fileDescriptor: fileDescriptor, path: path)
    }

    // MARK: Bytes

    /// Up to `maximumCount` received bytes, or nil when none are waiting. Throws
    /// `.deviceLost` when the device went away.
    public func read(maximumCount: Int = 4096) throws(SerialPortError) -> [UInt8]? {
        guard fileDescriptor >= 0 else { throw .closed(path: path) }
        switch NonBlockingIO.read(fileDescriptor, maximumCount: maximumCount) {
        case .bytes(let bytes): return bytes
        case .wouldBlock: return nil
        // Raw and non-blocking, a live terminal answers EAGAIN; 0 means it hung up.
        case .endOfFile: throw .deviceLost(path: path, detail: "read returned end of file", errno: 0)
        case .failed(let code):
            if SerialPortError.meansDeviceLost(code) { throw .deviceLost(path: path, detail: "read", errno: code) }
            throw .system(call: "read", path: path, errno: code)
        }
    }

    /// Writes what the driver takes now and returns that count (0 when its buffer is full, for
    /// instance while CTS holds it back). Throws `.deviceLost` when the device went away.
    @discardableResult
    public func write(_ bytes: ArraySlice<UInt8>) throws(SerialPortError) -> Int {
        guard fileDescriptor >= 0 else { throw .closed(path: path) }
        guard !bytes.isEmpty else { return 0 }
        switch NonBlockingIO.write(fileDescriptor, bytes) {
        case .success(let count): return count
        case .failure(let error):
            if SerialPortError.meansDeviceLost(error.code) { throw .deviceLost(path: path, detail: "write", errno: error.code) }
            throw .system(call: "write", path: path, errno: error.code)
        }
    }

    @discardableResult
    public func write(_ bytes: [UInt8]) throws(SerialPortError) -> Int {
        try write(bytes[...])
    }

    /// The loss a poll result announces (hangup, error, descriptor no longer valid), nil for a
    /// plain readable. Read what is waiting first: a hangup can follow the last bytes.
    public func lostCondition(for readiness: EventLoop.Readiness) -> SerialPortError? {
        if readiness.contains(.invalid) {
            return .deviceLost(path: path, detail: "descriptor no longer valid (POLLNVAL)", errno: 0)
        }
        if readiness.contains(.hangup) { return .deviceLost(path: path, detail: "hung up (POLLHUP)", errno: 0) }
        if readiness.contains(.error) { return .deviceLost(path: path, detail: "error condition (POLLERR)", errno: 0) }
        return nil
    }
}

@available(*, unavailable)
extension SerialPort: Sendable {}
