/// A request a peer sent to this endpoint, delivered once however often it was retransmitted.
/// Answer it with `CoAPEndpoint.respond(to:with:now:)`, or acknowledge it first with
/// `deferResponse(to:now:)` and respond later.
public struct IncomingRequest: Hashable, Sendable, CustomStringConvertible {
    /// Unique within one endpoint, so an answer never reaches a later request that happens to
    /// reuse the same message id after the first one expired.
    public let id: UInt64
    public let peer: PeerAddress
    public let message: Message

    /// A Confirmable request needs at least an ACK; a Non-confirmable one needs nothing, though
    /// it usually gets a Non-confirmable response.
    public var isConfirmable: Bool { message.type == .confirmable }

    public var description: String { "request #\(id) from \(peer): \(message)" }
}
