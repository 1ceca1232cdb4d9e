/// Where a datagram comes from or goes to: a numeric IPv4/IPv6 address (or a name on the
/// in-memory network) and a UDP port. Name resolution happens at the edges, never in here.
public struct PeerAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16
    public init(host: String, port: UInt16) { self.host = host; self.port = port }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Parses `1.2.3.4:5683`, `[::1]:5683`, `name:5683`, or a bare host with `defaultPort`.
    public init?(parsing text: String, defaultPort: UInt16 = 5683) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { self.init(host: host, port: defaultPort); return }
            guard rest.hasPrefix(":"), let p = UInt16(rest.dropFirst()) else { return nil }
            self.init(host: host, port: p)
            return
        }
        let colons = text.filter { $0 == ":" }.count
        if colons == 1, let i = text.lastIndex(of: ":") {
            guard let p = UInt16(text[text.index(after: i)...]), i != text.startIndex else { return nil }
            self.init(host: String(text[..<i]), port: p)
        } else if !text.isEmpty {
            self.init(host: text, port: defaultPort)
        } else {
            return nil
        }
    }
}
