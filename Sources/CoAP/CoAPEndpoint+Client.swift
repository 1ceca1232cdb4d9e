/// The client side: our requests, and the ACKs, RSTs and responses that answer them.
extension CoAPEndpoint {
    /// Sends a request. The endpoint sets its type and message id, and a fresh token unless
    /// `message.token` is non-empty. A given token already used by an open request to the same
    /// peer takes that request's place (an Observe re-registration does this); the older one is
    /// closed without an event.
    public mutating func sendRequest(_ message: Message, to peer: PeerAddress, confirmable: Bool,
                                     now: Instant) -> RequestHandle {
        forgetExpired(now: now)
        var m = message
        if m.token.count == 0 {
            m.token = freshToken(for: peer)
        } else if let older = requestsByToken[TokenKey(peer: peer, token: m.token)] {
            close(older)
        }
        let id = makeID()
        let mid = allocateMessageID(for: peer)
        let handle = RequestHandle(id: id, peer: peer, token: m.token, messageID: mid)
        let kept = transmit(m, messageID: mid, to: peer, confirmable: confirmable, purpose: .request(id), now: now)
        var request = OpenRequest(handle: handle, stage: .awaitingAcknowledgement,
                                  isObserveRegistration: m.observe == 0,
                                  transmission: kept ? MessageKey(peer: peer, messageID: mid) : nil)
        if !confirmable {
            let until = now + configuration.responseTimeout
            request.stage = .awaitingResponse(until: until)
            timers.push(.response(id), at: until)
        }
        requests[id] = request
        requestsByToken[TokenKey(peer: peer, token: m.token)] = id
        settle()
        return handle
    }

    /// Stops waiting for a request's ACK or responses (ending an observation reactively: the
    /// next notification is answered with RST). No event follows.
    public mutating func cancel(_ handle: RequestHandle) {
        close(handle.id)
        settle()
    }

    /// An ACK or RST: it answers one of our Confirmable messages, or nothing.
    mutating func handleAcknowledgementOrReset(_ m: Message, from peer: PeerAddress, now: Instant) {
        if m.type == .reset && !m.code.isEmpty {
            return emit(.dropped(peer, .invalid("RST carrying code \(m.code)")))
        }
        if m.type == .acknowledgement && !m.code.isEmpty && !(2...5).contains(m.code.codeClass) {
            return emit(.dropped(peer, .invalid("ACK carrying code \(m.code)")))
        }
        let key = MessageKey(peer: peer, messageID: m.messageID)
        guard let t = outgoing[key], m.type == .reset || t.schedule != nil else {
            return emit(.dropped(peer, .unexpectedAcknowledgement))
        }
        switch t.purpose {
        case .notification(let handle):
            outgoing[key] = nil
            emit(m.type == .reset ? .notificationReset(handle) : .notificationAcknowledged(handle))
        case .request(let id):
            if m.type == .reset {
                outgoing[key] = nil
                return fail(id, .reset)
            }
            guard var r = requests[id] else { outgoing[key] = nil; return }
            if m.code.isEmpty {
                outgoing[key] = nil
                let until = now + configuration.responseTimeout
                r.stage = .awaitingResponse(until: until)
                r.transmission = nil
                requests[id] = r
                timers.push(.response(id), at: until)
                return
            }
            // A piggybacked response: it must echo the token and carry nothing we must refuse;
            // otherwise it is ignored and the request keeps being retransmitted (§4.2, §5.4.1).
            guard m.token == r.handle.token else { return emit(.dropped(peer, .unexpectedResponse)) }
            if let option = firstUnknownCriticalOption(m) {
                return emit(.dropped(peer, .unknownCriticalOption(option)))
            }
            outgoing[key] = nil
            r.transmission = nil
            requests[id] = r
            deliver(m, to: id)
        }
    }

    /// A separate response (CON or NON with a response code).
    mutating func handleResponse(_ m: Message, from peer: PeerAddress, now: Instant) {
        let key = MessageKey(peer: peer, messageID: m.messageID)
        let confirmable = m.type == .confirmable
        let lifetime = confirmable ? configuration.exchangeLifetime : configuration.nonLifetime
        guard let id = requestsByToken[TokenKey(peer: peer, token: m.token)], let r = requests[id] else {
            // Nobody waits for it (never asked, timed out, cancelled): RST tells the peer, which
            // also ends an observation it still keeps (RFC 7641 §3.6).
            let rst = Message(type: .reset, code: .empty, messageID: m.messageID).encoded()
            send(rst, to: peer)
            if confirmable { remember(key, confirmable: true, stage: .answered, reply: rst, until: now + lifetime) }
            return emit(.dropped(peer, .unexpectedResponse))
        }
        if let option = firstUnknownCriticalOption(m) {
            // §5.4.1: a Confirmable response with it is rejected, a Non-confirmable one ignored.
            if confirmable {
                let rst = Message(type: .reset, code: .empty, messageID: m.messageID).encoded()
                send(rst, to: peer)
                remember(key, confirmable: true, stage: .answered, reply: rst, until: now + lifetime)
            }
            return emit(.dropped(peer, .unknownCriticalOption(option)))
        }
        if confirmable {
            let ack = Message(type: .acknowledgement, code: .empty, messageID: m.messageID).encoded()
            send(ack, to: peer)
            remember(key, confirmable: true, stage: .answered, reply: ack, until: now + lifetime)
        } else {
            remember(key, confirmable: false, stage: .answered, reply: nil, until: now + lifetime)
        }
        // The response shows the request arrived, even if its ACK was lost: stop retransmitting.
        if let sent = r.transmission {
            outgoing[sent] = nil
            requests[id]?.transmission = nil
        }
        deliver(m, to: id)
    }

    /// Hands a response to the owner; the request ends unless it is an observation that goes on.
    mutating func deliver(_ m: Message, to id: UInt64) {
        guard var r = requests[id] else { return }
        emit(.response(r.handle, m))
        // RFC 7641 §3.2: a success response carrying Observe means the observation is in place;
        // anything else ends it.
        if r.isObserveRegistration && m.observe != nil && m.code.isSuccess {
            r.stage = .observing
            requests[id] = r
        } else {
            close(id)
        }
    }
}
