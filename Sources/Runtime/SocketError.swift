#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoAP

/// Why a socket, poll or name-resolution call failed. Every failure at the I/O edge is reported
/// as one of these (with the system's own text) rather than trapping, so a caller can log it and
/// carry on.
public enum SocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A system call failed: which call, on what, and the `errno` it left.
    case system(call: String, subject: String, errno: Int32)
    /// The host string is not a numeric IPv4 or IPv6 address (name resolution is separate).
    case invalidAddress(String)
    /// The destination's address family cannot be reached from this socket (IPv6 peer from an
    /// IPv4 socket).
    case addressFamilyMismatch(socket: PeerAddress, peer: PeerAddress)
    /// `getaddrinfo` failed with this `EAI_*` code.
    case resolution(host: String, code: Int32)
    /// The socket was closed before this call.
    case closed

    public var description: String {
        switch self {
        case let .system(call, subject, code):
            let what = subject.isEmpty ? call : "\(call) \(subject)"
            return "\(what): \(SocketError.errnoText(code)) (errno \(code))"
        case let .invalidAddress(host):
            return "'\(host)' is not a numeric IPv4 or IPv6 address"
        case let .addressFamilyMismatch(socket, peer):
            return "cannot send to \(peer) from socket bound to \(socket): address families differ"
        case let .resolution(host, code):
            return "cannot resolve '\(host)': \(String(cString: gai_strerror(code)))"
        case .closed:
            return "socket is closed"
        }
    }

    /// The `errno` of a `.system` failure, nil for the others.
    public var errno: Int32? {
        if case let .system(_, _, code) = self { return code }
        return nil
    }

    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "unknown error" }
        return String(cString: text)
    }

    /// The current `errno` wrapped for `call` on `subject`.
    static func lastError(_ call: String, _ subject: String = "") -> SocketError {
        .system(call: call, subject: subject, errno: currentErrno())
    }
}

/// Reads the thread's `errno` (the Glibc overlay exposes it as a variable).
@inline(__always) func currentErrno() -> Int32 {
    #if canImport(Glibc)
    return Glibc.errno
    #else
    return Darwin.errno
    #endif
}
