#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoAP

/// A non-blocking UDP socket bound to a numeric IPv4 or IPv6 address.
///
/// Contract: `send` and `receive` never block and never trap; failures come back as
/// `SocketError` with the system's text. `receive()` returns nil when nothing is waiting, so a
/// poll loop can drain the socket. Peers are reported numerically; from a dual-stack `::` socket
/// an IPv4 peer appears as plain `a.b.c.d`, and sending to `a.b.c.d` from it maps the address.
/// Datagrams of any size UDP allows (up to 64 KiB) are received whole. The socket is closed by
/// `close()` or when the object goes away. Not `Sendable`: it belongs to the thread of its
/// event loop.
public final class UDPSocket {
    /// The largest UDP payload the receive buffer holds (an IPv6 jumbogram aside).
    public static let maximumDatagramSize = 65_535

    /// The file descriptor, for `EventLoop.watch`; -1 once closed.
    public private(set) var fileDescriptor: Int32
    /// Where the socket is bound, with the port the kernel chose when asked for port 0.
    public let localAddress: PeerAddress
    private let family: Int32
    private var buffer: [UInt8]

    /// Opens a socket and binds it to `address` (port 0 asks for an ephemeral port). Binding to
    /// `::` makes a dual-stack socket that also serves IPv4 peers.
    public init(bindingTo address: PeerAddress) throws(SocketError) {
        let local = try SocketAddress(address)
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(local.family, type, 0)
        guard fd >= 0 else { throw SocketError.lastError("socket", "for \(address)") }
        if local.family == AF_INET6 {
            // Explicit rather than trusting the bindv6only sysctl: `::` serves both families.
            var off: Int32 = 0
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &off, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = local.withSockaddr { bind(fd, $0, $1) }
        guard bound == 0 else {
            let error = SocketError.lastError("bind", address.description)
            Glibc.close(fd)
            throw error
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0, let actual = SocketAddress(storage: storage, length: length).peerAddress else {
            let error = SocketError.lastError("getsockname", address.description)
            Glibc.close(fd)
            throw error
        }
        fileDescriptor = fd
        family = local.family
        // As the kernel reports it: the real port, and the host in canonical numeric form.
        localAddress = actual
        buffer = [UInt8](repeating: 0, count: UDPSocket.maximumDatagramSize)
    }

    deinit {
        if fileDescriptor >= 0 { Glibc.close(fileDescriptor) }
    }

    /// Closes the descriptor; later calls fail with `.closed`. Safe to call twice.
    public func close() {
        guard fileDescriptor >= 0 else { return }
        Glibc.close(fileDescriptor)
        fileDescriptor = -1
    }

    public var isClosed: Bool { fileDescriptor < 0 }

    /// Sends one datagram to `datagram.peer` (a numeric address). A full send buffer shows up
    /// as `.system(call: "sendto", errno: EAGAIN)`: UDP may drop, and so may the caller.
    public func send(_ datagram: Datagram) throws(SocketError) {
        guard fileDescriptor >= 0 else { throw .closed }
        var destination = try SocketAddress(datagram.peer)
        if destination.family != family {
            guard family == AF_INET6 else {
                throw .addressFamilyMismatch(socket: localAddress, peer: datagram.peer)
            }
            destination = destination.mappedToIPv6()
        }
        let fd = fileDescriptor
        while true {
            let sent = datagram.bytes.withUnsafeBytes { payload in
                destination.withSockaddr { address, length in
                    sendto(fd, payload.baseAddress, payload.count, Int32(MSG_NOSIGNAL), address, length)
                }
            }
            if sent >= 0 { return }
            let code = currentErrno()
            if code == EINTR { continue }
            throw .system(call: "sendto", subject: datagram.peer.description, errno: code)
        }
    }

    /// The next waiting datagram, or nil when none is waiting. Datagrams from peers that are
    /// neither IPv4 nor IPv6 are skipped.
    public func receive() throws(SocketError) -> Datagram? {
        guard fileDescriptor >= 0 else { throw .closed }
        let fd = fileDescriptor
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length)
                    }
                }
            }
            if count < 0 {
                let code = currentErrno()
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK { return nil }
                throw .system(call: "recvfrom", subject: localAddress.description, errno: code)
            }
            guard let peer = SocketAddress(storage: storage, length: length).peerAddress else { continue }
            return Datagram(Array(buffer[0..<count]), peer: peer)
        }
    }
}

@available(*, unavailable)
extension UDPSocket: Sendable {}
