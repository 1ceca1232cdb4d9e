/// The server side: requests from peers, our answers to them, and notifications.
extension CoAPEndpoint {
    /// A new CON or NON request that passed de-duplication.
    mutating func handleRequest(_ m: Message, from peer: PeerAddress, now: Instant) {
        let key = MessageKey(peer: peer, messageID: m.messageID)
        let confirmable = m.type == .confirmable
        let until = now + (confirmable ? configuration.exchangeLifetime : configuration.nonLifetime)
        if let option = firstUnknownCriticalOption(m) {
            // §5.4.1: 4.02 Bad Option for a Confirmable request; a Non-confirmable one is ignored.
            if confirmable {
                let badOption = Message(type: .acknowledgement, code: .badOption, messageID: m.messageID,
                                        token: m.token, payload: Array("Unknown critical option \(option.rawValue)".utf8))
                    .encoded()
                send(badOption, to: peer)
                remember(key, confirmable: true, stage: .answered, reply: badOption, until: until)
            }
            return emit(.dropped(peer, .unknownCriticalOption(option)))
        }
        let id = makeID()
        remember(key, requestID: id, confirmable: confirmable, stage: .awaitingAnswer, reply: nil, until: until)
        emit(.request(IncomingRequest(id: id, peer: peer, message: m)))
    }

    /// Answers a request: in the ACK when it is Confirmable and not yet acknowledged
    /// (piggybacked), else as a separate message with the request's token, Confirmable when
    /// `confirmable` says so or, by default, when the request was. The endpoint sets the
    /// response's type, message id and token.
    @discardableResult
    public mutating func respond(to request: IncomingRequest, with response: Message, confirmable: Bool? = nil,
                                 now: Instant) -> ResponseDisposition {
        forgetExpired(now: now)
        defer { settle() }
        let key = MessageKey(peer: request.peer, messageID: request.message.messageID)
        guard var entry = received[key], entry.requestID == request.id else { return .notPending }
        var m = response
        m.token = request.message.token
        switch entry.stage {
        case .answered:
            return .notPending
        case .awaitingAnswer where entry.confirmable:
            m.type = .acknowledgement
            m.messageID = request.message.messageID
            let bytes = m.encoded()
            send(bytes, to: request.peer)
            entry.stage = .answered
            entry.reply = bytes
            received[key] = entry
            return .piggybacked
        case .awaitingAnswer, .deferred:
            entry.stage = .answered
            received[key] = entry
            return .separate(sendResponse(m, to: request.peer, confirmable: confirmable ?? entry.confirmable, now: now))
        }
    }

    /// Acknowledges a Confirmable request with an empty ACK now, so the peer stops retransmitting
    /// while the answer is prepared; `respond` then sends a separate response. Returns false
    /// (and sends nothing) when the request is Non-confirmable, already acknowledged or answered.
    @discardableResult
    public mutating func deferResponse(to request: IncomingRequest, now: Instant) -> Bool {
        forgetExpired(now: now)
        let key = MessageKey(peer: request.peer, messageID: request.message.messageID)
        guard var entry = received[key], entry.requestID == request.id, entry.confirmable,
              entry.stage == .awaitingAnswer else { return false }
        let ack = Message(type: .acknowledgement, code: .empty, messageID: request.message.messageID).encoded()
        send(ack, to: request.peer)
        entry.stage = .deferred
        entry.reply = ack
        received[key] = entry
        return true
    }

    /// Sends a response-type message with the token it carries, outside any request's exchange:
    /// an Observe notification (RFC 7641 §4.2). The endpoint sets its type and message id. Its
    /// fate comes back as `.notificationAcknowledged` / `.notificationTimedOut` (CON) or
    /// `.notificationReset` (either).
    public mutating func sendNotification(_ message: Message, to peer: PeerAddress, confirmable: Bool,
                                          now: Instant) -> NotificationHandle {
        forgetExpired(now: now)
        defer { settle() }
        return sendResponse(message, to: peer, confirmable: confirmable, now: now)
    }

    private mutating func sendResponse(_ message: Message, to peer: PeerAddress, confirmable: Bool,
                                       now: Instant) -> NotificationHandle {
        let mid = allocateMessageID(for: peer)
        let handle = NotificationHandle(id: makeID(), peer: peer, token: message.token, messageID: mid,
                                        isConfirmable: confirmable)
        transmit(message, messageID: mid, to: peer, confirmable: confirmable, purpose: .notification(handle), now: now)
        return handle
    }
}
