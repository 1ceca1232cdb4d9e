/// Names one response-type message sent outside a request's own exchange: an Observe
/// notification sent with `CoAPEndpoint.sendNotification`, or a separate response sent by
/// `respond(to:with:)` after the request was acknowledged. Its fate (acknowledged, reset, timed
/// out) arrives as events carrying this handle.
public struct NotificationHandle: Hashable, Sendable, CustomStringConvertible {
    /// Unique within one endpoint, never reused.
    public let id: UInt64
    public let peer: PeerAddress
    public let token: Token
    public let messageID: UInt16
    public let isConfirmable: Bool

    public var description: String {
        "\(isConfirmable ? "CON" : "NON") response #\(id) to \(peer) tok=\(token) mid=\(messageID)"
    }
}
