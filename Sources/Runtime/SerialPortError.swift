#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a pseudo-terminal or serial-port operation failed. Every failure names the device path
/// and, for system calls, the `errno` with the system's own text, so a log line is enough to act
/// on. Nothing at this edge traps.
public enum SerialPortError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A system call failed: which call, on which path, and the `errno` it left.
    case system(call: String, path: String, errno: Int32)
    /// The device went away while open: a read returned end of file, or `poll` reported a
    /// hangup or error, or a read or write failed with an errno that means "gone" (EIO, ENXIO,
    /// ENODEV). `errno` is 0 for end of file and for poll-reported hangups.
    case deviceLost(path: String, detail: String, errno: Int32)
    /// The rate is not in `SerialPort.BaudRate.supported`.
    case unsupportedBaudRate(Int)
    /// `tcsetattr` succeeded but reading the settings back shows the driver did not take them
    /// all (a USB adapter that cannot do the rate, a driver without RTS/CTS).
    case settingsNotApplied(path: String, detail: String)
    /// The symlink location holds something that is not a symlink (a file, a directory, a
    /// device); it is left alone rather than deleted.
    case linkPathOccupied(path: String)
    /// The port or terminal was closed before this call.
    case closed(path: String)

    public var description: String {
        switch self {
        case let .system(call, path, code):
            return "\(call) \(path): \(SocketError.errnoText(code)) (errno \(code))"
        case let .deviceLost(path, detail, code):
            let cause = code == 0 ? detail : "\(detail): \(SocketError.errnoText(code)) (errno \(code))"
            return "\(path) lost: \(cause)"
        case let .unsupportedBaudRate(rate):
            let known = SerialPort.BaudRate.supported.map { String($0.bitsPerSecond) }.joined(separator: ", ")
            return "baud rate \(rate) is not supported (use one of \(known))"
        case let .settingsNotApplied(path, detail):
            return "\(path): settings not applied: \(detail)"
        case let .linkPathOccupied(path):
            return "\(path) exists and is not a symlink; not replacing it"
        case let .closed(path):
            return "\(path) is closed"
        }
    }

    /// The errno behind this failure, nil when there is none.
    public var errno: Int32? {
        switch self {
        case let .system(_, _, code): return code
        case let .deviceLost(_, _, code): return code == 0 ? nil : code
        default: return nil
        }
    }

    /// Whether this is a `.deviceLost`.
    public var isDeviceLost: Bool {
        if case .deviceLost = self { return true }
        return false
    }

    /// Whether an open failed because the device is not there (yet): the path does not exist,
    /// or names a device with nothing behind it. A retry may succeed later.
    public var isDeviceAbsent: Bool {
        guard case let .system(_, _, code) = self else { return false }
        return code == ENOENT || code == ENXIO || code == ENODEV || code == EIO
    }

    /// The errnos from read and write that mean the device itself is gone, as opposed to a
    /// transient condition (EAGAIN, EINTR).
    static func meansDeviceLost(_ code: Int32) -> Bool {
        code == EIO || code == ENXIO || code == ENODEV || code == EPIPE
    }

    /// The current `errno` wrapped for `call` on `path`.
    static func lastError(_ call: String, _ path: String) -> SerialPortError {
        .system(call: call, path: path, errno: currentErrno())
    }
}
