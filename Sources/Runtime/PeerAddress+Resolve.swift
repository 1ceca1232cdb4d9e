#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoAP

extension PeerAddress {
    /// The numeric addresses `host` names, for UDP on `port`, in the order the system prefers,
    /// without duplicates. A numeric IPv4 or IPv6 host comes straight back without a lookup.
    /// This blocks on DNS for real names: call it at startup, not from inside a poll callback.
    public static func resolve(_ host: String, port: UInt16) throws(SocketError) -> [PeerAddress] {
        var bare = host
        if bare.hasPrefix("["), bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
        if (try? SocketAddress(PeerAddress(host: bare, port: port))) != nil {
            return [PeerAddress(host: bare, port: port)]
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(bare, String(port), &hints, &list)
        guard status == 0 else {
            if status == EAI_SYSTEM { throw SocketError.lastError("getaddrinfo", host) }
            throw .resolution(host: host, code: status)
        }
        defer { freeaddrinfo(list) }
        var found: [PeerAddress] = []
        var cursor = list
        while let entry = cursor {
            if let address = SocketAddress(copying: entry.pointee)?.peerAddress, !found.contains(address) {
                found.append(address)
            }
            cursor = entry.pointee.ai_next
        }
        if found.isEmpty { throw .resolution(host: host, code: EAI_NONAME) }
        return found
    }
}
