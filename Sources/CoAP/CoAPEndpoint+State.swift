/// The bookkeeping records of `CoAPEndpoint`. Internal: only the endpoint changes them.
extension CoAPEndpoint {
    /// A message exchange is named by the peer and the message id (RFC 7252 §4.4).
    struct MessageKey: Hashable, Sendable {
        var peer: PeerAddress
        var messageID: UInt16
    }

    /// A request and its responses are matched by the peer and the token (RFC 7252 §5.3.2).
    struct TokenKey: Hashable, Sendable {
        var peer: PeerAddress
        var token: Token
    }

    /// A Confirmable or Non-confirmable message received, kept for de-duplication until `expiry`.
    struct ReceivedMessage: Sendable {
        enum Stage: Sendable { case awaitingAnswer, deferred, answered }
        /// The `IncomingRequest.id` when the message was a request handed to the owner.
        var requestID: UInt64?
        var confirmable: Bool
        var stage: Stage
        /// What a Confirmable copy is answered with again: the ACK (empty or piggybacked) or RST.
        var reply: [UInt8]?
        var expiry: Instant
    }

    /// A message we sent that can still be acknowledged or reset.
    struct Transmission: Sendable {
        enum Purpose: Sendable {
            case request(UInt64)
            case notification(NotificationHandle)
        }
        var purpose: Purpose
        var bytes: [UInt8]
        /// For a Confirmable message; nil for a Non-confirmable one (kept only to match a RST).
        var schedule: RetransmissionSchedule?
        var transmissions: Int
        /// The next retransmission or time-out (CON), or when to forget it (NON).
        var deadline: Instant
    }

    /// A request of ours that has not ended.
    struct OpenRequest: Sendable {
        enum Stage: Hashable, Sendable {
            case awaitingAcknowledgement
            case awaitingResponse(until: Instant)
            /// An Observe registration answered with Observe: notifications keep coming.
            case observing
        }
        var handle: RequestHandle
        var stage: Stage
        var isObserveRegistration: Bool
        /// The key of its transmission while that can still be acknowledged or reset.
        var transmission: MessageKey?
    }

    enum Timer: Sendable {
        case transmission(MessageKey)
        case response(UInt64)
    }
}
