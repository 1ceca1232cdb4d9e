/// Every datagram in: decode, reject what breaks the rules, de-duplicate, then hand to the
/// client or server side. Nothing changes state until the message has passed these checks.
extension CoAPEndpoint {
    mutating func handle(_ datagram: Datagram, now: Instant) {
        let peer = datagram.peer
        let m: Message
        do {
            m = try Message(decoding: datagram.bytes)
        } catch {
            // §4.2: a Confirmable message that cannot be processed is rejected with RST, which
            // needs only the header's message id.
            let b = datagram.bytes
            if b.count >= 4 && b[0] >> 6 == 1 && (b[0] >> 4) & 3 == MessageType.confirmable.rawValue {
                send(Message(type: .reset, code: .empty, messageID: UInt16(b[2]) << 8 | UInt16(b[3])).encoded(),
                     to: peer)
            }
            return emit(.dropped(peer, .malformed(error)))
        }

        switch m.type {
        case .acknowledgement, .reset:
            return handleAcknowledgementOrReset(m, from: peer, now: now)
        case .confirmable, .nonConfirmable:
            break
        }
        let confirmable = m.type == .confirmable
        if m.code.isEmpty {
            // An empty CON is a ping (§4.3): RST is the answer. An empty NON means nothing.
            guard confirmable else { return emit(.dropped(peer, .invalid("empty Non-confirmable message"))) }
            return send(Message(type: .reset, code: .empty, messageID: m.messageID).encoded(), to: peer)
        }
        let key = MessageKey(peer: peer, messageID: m.messageID)
        if let seen = received[key] {
            if confirmable, let reply = seen.reply { send(reply, to: peer) }
            return emit(.dropped(peer, .duplicate))
        }
        switch m.code.codeClass {
        case 0, 2, 3, 4, 5:
            break
        default:
            // Classes 1, 6 and 7 are reserved: a Confirmable message is rejected with RST.
            if confirmable { send(Message(type: .reset, code: .empty, messageID: m.messageID).encoded(), to: peer) }
            return emit(.dropped(peer, .invalid("reserved code class \(m.code)")))
        }
        guard received.count < configuration.maxReceivedMessages else {
            return emit(.dropped(peer, .overloaded))
        }
        if m.code.isRequest {
            handleRequest(m, from: peer, now: now)
        } else {
            handleResponse(m, from: peer, now: now)
        }
    }

    /// Remembers a received CON or NON until `until`, with what a repeated copy is answered with.
    mutating func remember(_ key: MessageKey, requestID: UInt64? = nil, confirmable: Bool,
                           stage: ReceivedMessage.Stage, reply: [UInt8]?, until: Instant) {
        received[key] = ReceivedMessage(requestID: requestID, confirmable: confirmable, stage: stage,
                                        reply: reply, expiry: until)
        receivedExpiries.push(key, at: until)
    }

    /// The first option of class critical (odd number) that `OptionNumber.known` lacks.
    func firstUnknownCriticalOption(_ m: Message) -> OptionNumber? {
        var unknown: OptionNumber?
        m.forEachOption { number, _ in
            let n = OptionNumber(number)
            if n.isCritical && !OptionNumber.known.contains(n) { unknown = n; return false }
            return true
        }
        return unknown
    }
}
