import CoAP

/// A request of the hosted machine as the node follows it at the endpoint, through however many
/// CoAP requests its blocks take. It is filed under the endpoint handle of the block request
/// now in flight; each later block goes out under a fresh token, so a late answer to an
/// earlier block can never be taken for the current one.
struct OutgoingExchange: Sendable {
    enum Stage: Sendable {
        /// Went out in one piece (or its upload is done); its answer may still start a download.
        case whole
        /// Its body goes out in Block1 blocks.
        case uploading(Block1Upload)
        /// Its answer comes in Block2 blocks.
        case downloading(Block2Download)
    }

    enum Purpose: Sendable {
        /// The machine's own request: the machine hears how it ends, success or failure.
        case request
        /// The rest of a notification the machine never asked for (RFC 7959 §2.6): delivered
        /// whole when complete, dropped quietly when it fails (the next notification will come).
        case notificationRest
    }

    var handle: RequestHandle
    /// The token the machine knows the request (or the observation) by.
    var machineToken: Token
    /// The machine's request, whole.
    var request: Message
    var stage: Stage
    var purpose: Purpose
    /// Whether a response already came under this handle (an observation's notifications
    /// follow its first answer under the same handle).
    var answered = false

    var peer: PeerAddress { handle.peer }

    var isTransferring: Bool {
        if case .whole = stage { false } else { true }
    }
}
