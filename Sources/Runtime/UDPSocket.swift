#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoAP
import CSystem

/// A non-blocking UDP socket bound to a numeric IPv4 or IPv6 address.
///
/// Contract: `send` and `receive` never block and never trap; failures come back as
/// `SocketError` with the system's text. `receive()` returns nil when nothing is waiting, so a
/// poll loop can drain the socket. Peers are reported numerically; from a dual-stack `::` socket
/// an IPv4 peer appears as plain `a.b.c.d`, and sending to `a.b.c.d` from it maps the address.
/// Datagrams of any size UDP allows (up to 64 KiB) are received whole. `receive(upTo:)` and
/// `send(_:)` with an array move a batch per system call (recvmmsg/sendmmsg) with the same
/// rules, datagram by datagram. The socket is closed by
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
    private var batch: DatagramBatch?
    /// The last sender and destination, converted: a socket mostly talks to the same few peers,
    /// and turning text into a sockaddr (or back) costs more than the rest of a send.
    private var lastSender: (address: SocketAddress, peer: PeerAddress)?
    private var lastDestination: (peer: PeerAddress, address: SocketAddress)?

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
        let destination = try self.destination(for: datagram.peer)
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
            guard let peer = sender(SocketAddress(storage: storage, length: length)) else { continue }
            return Datagram(Array(buffer[0..<count]), peer: peer)
        }
    }

    /// Up to `limit` waiting datagrams (at most `DatagramBatch.capacity`) in one system call,
    /// oldest first; empty when none is waiting. Fewer than asked means the queue was emptied.
    public func receive(upTo limit: Int) throws(SocketError) -> [Datagram] {
        guard fileDescriptor >= 0 else { throw .closed }
        guard limit > 0 else { return [] }
        let batch = self.batch ?? DatagramBatch(slotSize: UDPSocket.maximumDatagramSize)
        self.batch = batch
        while true {
            let count = batch.receive(on: fileDescriptor, count: limit)
            if count < 0 {
                let code = currentErrno()
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK { return [] }
                throw .system(call: "recvmmsg", subject: localAddress.description, errno: code)
            }
            var datagrams: [Datagram] = []
            datagrams.reserveCapacity(count)
            for i in 0..<count {
                let address = SocketAddress(storage: batch.addresses[i], length: socklen_t(batch.addressLengths[i]))
                guard let peer = sender(address) else { continue }
                datagrams.append(Datagram(batch.received(i), peer: peer))
            }
            // Only senders of another family were skipped: look again rather than claim empty.
            if datagrams.isEmpty && count > 0 { continue }
            return datagrams
        }
    }

    /// Sends every datagram, a batch per system call, and returns the ones that failed (by
    /// index, with why) as `send(_:)` would have failed them one at a time; the others still go.
    @discardableResult
    public func send(_ datagrams: [Datagram]) -> [(index: Int, error: SocketError)] {
        guard fileDescriptor >= 0 else { return datagrams.indices.map { ($0, SocketError.closed) } }
        let batch = self.batch ?? DatagramBatch(slotSize: UDPSocket.maximumDatagramSize)
        self.batch = batch
        var failures: [(index: Int, error: SocketError)] = []
        var indices: [Int] = []
        var next = 0
        while next < datagrams.count {
            // Lay out the next batch; a peer that cannot be addressed fails alone, before any call.
            batch.payload.removeAll(keepingCapacity: true)
            indices.removeAll(keepingCapacity: true)
            while next < datagrams.count && indices.count < DatagramBatch.capacity {
                let datagram = datagrams[next]
                do throws(SocketError) {
                    let address = try destination(for: datagram.peer)
                    let slot = indices.count
                    batch.addresses[slot] = address.storage
                    batch.addressLengths[slot] = UInt32(address.length)
                    batch.lengths[slot] = UInt(datagram.bytes.count)
                    batch.payload.append(contentsOf: datagram.bytes)
                    indices.append(next)
                } catch {
                    failures.append((next, error))
                }
                next += 1
            }
            var first = 0, offset = 0
            while first < indices.count {
                let sent = batch.send(on: fileDescriptor, from: first, count: indices.count, offset: offset)
                if sent < 0 {
                    let code = currentErrno()
                    if code == EINTR { continue }
                    let failed = datagrams[indices[first]]
                    failures.append((indices[first], .system(call: "sendmmsg", subject: failed.peer.description, errno: code)))
                    offset += failed.bytes.count
                    first += 1
                    continue
                }
                for i in first..<first + sent { offset += Int(batch.lengths[i]) }
                first += sent
            }
        }
        return failures
    }

    /// The sockaddr for `peer` as this socket sends to it (IPv4 mapped on a dual-stack socket).
    private func destination(for peer: PeerAddress) throws(SocketError) -> SocketAddress {
        if let last = lastDestination, last.peer == peer { return last.address }
        var address = try SocketAddress(peer)
        if address.family != family {
            guard family == AF_INET6 else { throw .addressFamilyMismatch(socket: localAddress, peer: peer) }
            address = address.mappedToIPv6()
        }
        lastDestination = (peer, address)
        return address
    }

    /// The numeric peer a kernel-filled address names; nil for families other than IPv4/IPv6.
    private func sender(_ address: SocketAddress) -> PeerAddress? {
        if let last = lastSender, last.address.sameBytes(as: address) { return last.peer }
        guard let peer = address.peerAddress else { return nil }
        lastSender = (address, peer)
        return peer
    }
}

@available(*, unavailable)
extension UDPSocket: Sendable {}
