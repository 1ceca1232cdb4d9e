import CoAP

/// What the CoAP endpoint beneath an `LwM2MEndpointNode` did with the machine's messages: the
/// message ids they went out with and how the peer answered at the message layer. An owner that
/// reports message ids (the module's `+QLAUPDATE: 0,<mid>`, `"report",<mid>`,
/// `"lw_event",0,5,<mid>`) reads these; the machine itself never needs them.
public enum TransportEvent: Hashable, Sendable {
    /// A request of the machine's went out; `handle` has its message id and token.
    case requestSent(Message, RequestHandle)
    /// A notification (a response outside a request's exchange) went out.
    case notificationSent(Message, NotificationHandle)
    /// A response to `request` went out, piggybacked or separate.
    case responseSent(Message, to: IncomingRequest, CoAPEndpoint.ResponseDisposition)
    /// A held request was acknowledged with an empty ACK; its answer will come separately.
    case responseDeferred(IncomingRequest)
    /// The peer acknowledged a Confirmable notification or separate response.
    case notificationAcknowledged(NotificationHandle)
    /// A Confirmable notification or separate response got no ACK after the last retransmission.
    case notificationTimedOut(NotificationHandle)
    /// The peer answered one of our messages (a request, a notification) with RST.
    case reset(peer: PeerAddress, token: Token, messageID: UInt16)
}
