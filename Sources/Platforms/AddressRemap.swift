import CoAP

/// One `--remap FROM=TO` rule: datagrams a client sends to `from` go to `to` instead, and what
/// comes back from `to` is shown to the client as coming from `from`. Hosts compare without
/// regard to case (DNS names are case-insensitive); a missing port is 5683.
public struct AddressRemap: Hashable, Sendable, CustomStringConvertible {
    public var from: PeerAddress
    public var to: PeerAddress

    public init(from: PeerAddress, to: PeerAddress) {
        self.from = EmbeddedNetwork.normalized(from)
        self.to = EmbeddedNetwork.normalized(to)
    }

    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case notAPair(String)
        case badAddress(String)

        public var description: String {
            switch self {
            case .notAPair(let s): "'\(s)' is not HOST:PORT=HOST:PORT"
            case .badAddress(let s): "'\(s)' is not an address like 180.101.147.115:5683 or [::1]:5683"
            }
        }
    }

    /// `180.101.147.115:5683=127.0.0.1:5684`, `lwm.home.komect.com=[::1]:5683`.
    public init(parsing text: String) throws(ParseError) {
        let sides = text.split(separator: "=", omittingEmptySubsequences: false)
        guard sides.count == 2 else { throw .notAPair(text) }
        func address(_ s: Substring) throws(ParseError) -> PeerAddress {
            let trimmed = s.trimmingSpaces
            guard !trimmed.isEmpty, !trimmed.contains(" "),
                  let a = PeerAddress(parsing: trimmed), !a.host.isEmpty else { throw .badAddress(String(s)) }
            return a
        }
        self.init(from: try address(sides[0]), to: try address(sides[1]))
    }

    public var description: String { "\(from)=\(to)" }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
