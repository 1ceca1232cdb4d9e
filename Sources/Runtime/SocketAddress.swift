#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoAP

/// A `sockaddr_storage` with its length: the C form of a numeric `PeerAddress`. Conversion in
/// both directions happens here and nowhere else, so the IPv4-mapped rule lives in one place:
/// `::ffff:a.b.c.d` from a dual-stack socket comes back as plain `a.b.c.d`.
struct SocketAddress {
    var storage = sockaddr_storage()
    var length: socklen_t = 0

    var family: Int32 { Int32(storage.ss_family) }

    /// Parses a numeric host (`1.2.3.4`, `::1`, `fe80::1%eth0`); never does a DNS lookup.
    init(_ peer: PeerAddress) throws(SocketError) {
        var host = peer.host
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = peer.port.bigEndian
            sin.sin_addr = v4
            store(sin)
            return
        }
        var v6 = in6_addr()
        if !host.contains("%"), inet_pton(AF_INET6, host, &v6) == 1 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = peer.port.bigEndian
            sin6.sin6_addr = v6
            store(sin6)
            return
        }
        // Scoped IPv6 (`fe80::1%eth0`) needs getaddrinfo to turn the zone into an index.
        if host.contains(":"), let scoped = SocketAddress.numericLookup(host, port: peer.port) {
            self = scoped
            return
        }
        throw .invalidAddress(peer.host)
    }

    /// Wraps raw bytes a kernel call filled in.
    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    private mutating func store<T>(_ value: T) {
        withUnsafeMutableBytes(of: &storage) { raw in
            withUnsafeBytes(of: value) { raw.copyMemory(from: $0) }
        }
        length = socklen_t(MemoryLayout<T>.size)
    }

    private static func numericLookup(_ host: String, port: UInt16) -> SocketAddress? {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_family = AF_INET6
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        return SocketAddress(copying: first.pointee)
    }

    /// Copies one `getaddrinfo` result.
    init?(copying info: addrinfo) {
        guard let source = info.ai_addr,
              Int(info.ai_addrlen) <= MemoryLayout<sockaddr_storage>.size else { return nil }
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(start: source, count: Int(info.ai_addrlen)))
        }
        self.init(storage: storage, length: info.ai_addrlen)
    }

    /// The same IPv4 address as `::ffff:a.b.c.d`, for sending from a dual-stack IPv6 socket.
    func mappedToIPv6() -> SocketAddress {
        guard family == AF_INET else { return self }
        let sin = load(sockaddr_in.self)
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = sin.sin_port
        withUnsafeMutableBytes(of: &sin6.sin6_addr) { bytes in
            bytes[10] = 0xff
            bytes[11] = 0xff
            withUnsafeBytes(of: sin.sin_addr) { v4 in
                for i in 0..<4 { bytes[12 + i] = v4[i] }
            }
        }
        var mapped = SocketAddress(storage: sockaddr_storage(), length: 0)
        mapped.store(sin6)
        return mapped
    }

    private func load<T>(_ type: T.Type) -> T {
        withUnsafeBytes(of: storage) { $0.loadUnaligned(as: T.self) }
    }

    /// The numeric form as a `PeerAddress`; nil for families other than IPv4/IPv6.
    var peerAddress: PeerAddress? {
        switch family {
        case AF_INET:
            let sin = load(sockaddr_in.self)
            guard let host = SocketAddress.text(family: AF_INET, address: sin.sin_addr) else { return nil }
            return PeerAddress(host: host, port: UInt16(bigEndian: sin.sin_port))
        case AF_INET6:
            let sin6 = load(sockaddr_in6.self)
            let port = UInt16(bigEndian: sin6.sin6_port)
            let bytes = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
                var v4 = in_addr()
                withUnsafeMutableBytes(of: &v4) { $0.copyBytes(from: bytes[12..<16]) }
                guard let host = SocketAddress.text(family: AF_INET, address: v4) else { return nil }
                return PeerAddress(host: host, port: port)
            }
            guard var host = SocketAddress.text(family: AF_INET6, address: sin6.sin6_addr) else { return nil }
            if sin6.sin6_scope_id != 0 {
                var name = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
                if if_indextoname(sin6.sin6_scope_id, &name) != nil {
                    host += "%" + String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                } else {
                    host += "%\(sin6.sin6_scope_id)"
                }
            }
            return PeerAddress(host: host, port: port)
        default:
            return nil
        }
    }

    private static func text<A>(family: Int32, address: A) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let ok = withUnsafeBytes(of: address) { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether both hold the same length and the same bytes within it (the same peer, exactly).
    func sameBytes(as other: SocketAddress) -> Bool {
        guard length == other.length, Int(length) <= MemoryLayout<sockaddr_storage>.size else { return false }
        return withUnsafeBytes(of: storage) { a in
            withUnsafeBytes(of: other.storage) { b in memcmp(a.baseAddress!, b.baseAddress!, Int(length)) == 0 }
        }
    }

    /// Calls `body` with the address as the `sockaddr` pointer C calls want.
    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafeBytes(of: storage) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
    }
}
