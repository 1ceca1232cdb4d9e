extension CoAPEndpoint {
    /// The endpoint's timing and limits. Times are in milliseconds.
    public struct Configuration: Hashable, Sendable {
        /// How Confirmable messages this endpoint sends are retransmitted.
        public var retransmission: RetransmissionPolicy
        /// How long a received Confirmable message is remembered for de-duplication, and a
        /// message id is not reused towards the same peer (RFC 7252 §4.8.2 EXCHANGE_LIFETIME).
        public var exchangeLifetime: Int64
        /// The same for Non-confirmable messages (NON_LIFETIME).
        public var nonLifetime: Int64
        /// How long to wait for a response after an empty ACK, or after sending a
        /// Non-confirmable request, before the request fails with `.noResponse`.
        public var responseTimeout: Int64
        /// Length of the tokens the endpoint makes up for requests, 1 to 8 bytes.
        public var tokenLength: Int
        /// At most this many received messages are remembered; more are dropped as `.overloaded`.
        /// Each lives EXCHANGE_LIFETIME, so the default sustains about 265 requests a second (the
        /// most one peer can send anyway before its 16-bit message ids wrap within the lifetime).
        public var maxReceivedMessages: Int
        /// At most this many sent Non-confirmable messages are remembered to match a RST against.
        public var maxRememberedNonConfirmable: Int

        public init(retransmission: RetransmissionPolicy = .module(),
                    exchangeLifetime: Int64 = 247_000,
                    nonLifetime: Int64 = 145_000,
                    responseTimeout: Int64 = 247_000,
                    tokenLength: Int = 4,
                    maxReceivedMessages: Int = 65_536,
                    maxRememberedNonConfirmable: Int = 4096) {
            self.retransmission = retransmission
            self.exchangeLifetime = exchangeLifetime
            self.nonLifetime = nonLifetime
            self.responseTimeout = responseTimeout
            self.tokenLength = min(max(tokenLength, 1), 8)
            self.maxReceivedMessages = maxReceivedMessages
            self.maxRememberedNonConfirmable = maxRememberedNonConfirmable
        }
    }

    /// What became of `respond(to:with:)`.
    public enum ResponseDisposition: Hashable, Sendable {
        /// Sent in the ACK of the Confirmable request.
        case piggybacked
        /// Sent as a message of its own (the request was Non-confirmable, or already acknowledged
        /// by `deferResponse`); its fate arrives as notification events for this handle.
        case separate(NotificationHandle)
        /// The request was already answered, or expired, or is unknown: nothing was sent.
        case notPending
    }
}
