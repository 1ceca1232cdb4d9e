/// Names one request sent with `CoAPEndpoint.sendRequest`: its responses and its failure arrive
/// as events carrying this handle. Also tells the token and message id the request went with.
public struct RequestHandle: Hashable, Sendable, CustomStringConvertible {
    /// Unique within one endpoint, never reused.
    public let id: UInt64
    public let peer: PeerAddress
    public let token: Token
    public let messageID: UInt16

    public var description: String { "request #\(id) to \(peer) tok=\(token) mid=\(messageID)" }
}
