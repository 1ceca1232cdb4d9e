/// Sending with retransmission, identifiers, and everything that happens when time passes.
extension CoAPEndpoint {
    /// Sends `message` as CON or NON under `messageID` (from `allocateMessageID`) and keeps what
    /// is needed to match its ACK or RST. Returns false when nothing was kept (a NON while the
    /// table of remembered ones is full).
    @discardableResult
    mutating func transmit(_ message: Message, messageID: UInt16, to peer: PeerAddress, confirmable: Bool,
                           purpose: Transmission.Purpose, now: Instant) -> Bool {
        var m = message
        m.type = confirmable ? .confirmable : .nonConfirmable
        m.messageID = messageID
        let key = MessageKey(peer: peer, messageID: messageID)
        if let older = outgoing.removeValue(forKey: key) {
            // Only after `allocateMessageID` gave up looking for a free id: the older message
            // can no longer be told apart, so it ends as if unanswered.
            switch older.purpose {
            case .request(let id): fail(id, .timeout)
            case .notification(let handle): if older.schedule != nil { emit(.notificationTimedOut(handle)) }
            }
        }
        let bytes = m.encoded()
        send(bytes, to: peer)
        let schedule: RetransmissionSchedule?
        let deadline: Instant
        if confirmable {
            schedule = policy.schedule()
            deadline = now + (schedule?.wait(afterTransmission: 1) ?? 0)
        } else if outgoing.count < configuration.maxRememberedNonConfirmable {
            schedule = nil
            deadline = now + configuration.nonLifetime
        } else {
            return false
        }
        outgoing[key] = Transmission(purpose: purpose, bytes: bytes, schedule: schedule, transmissions: 1,
                                     deadline: deadline)
        timers.push(.transmission(key), at: deadline)
        return true
    }

    /// The next message id not in use towards `peer` (sequential, wrapping). Only when a
    /// thousand ids in a row are all still open towards that peer is one of them reused: that
    /// peer is then flooded anyway, and the records stay consistent (the older one is replaced).
    mutating func allocateMessageID(for peer: PeerAddress) -> UInt16 {
        for _ in 0..<1024 {
            let id = nextMessageID
            nextMessageID &+= 1
            if outgoing[MessageKey(peer: peer, messageID: id)] == nil { return id }
        }
        defer { nextMessageID &+= 1 }
        return nextMessageID
    }

    /// A random token of the configured length not in use by an open request to `peer`. Should
    /// short tokens run out (256 open requests with 1-byte tokens), a full 8-byte one is used.
    mutating func freshToken(for peer: PeerAddress) -> Token {
        var length = UInt8(configuration.tokenLength)
        for attempt in 0..<64 {
            if attempt == 16 { length = 8 }
            let token = Token(packed: random.next(), count: length)
            if requestsByToken[TokenKey(peer: peer, token: token)] == nil { return token }
        }
        return Token(packed: random.next(), count: 8)
    }

    mutating func fire(_ timer: Timer, scheduledAt deadline: Instant) {
        switch timer {
        case .transmission(let key):
            guard var t = outgoing[key], t.deadline == deadline else { return }
            guard let schedule = t.schedule else {
                // A Non-confirmable message can no longer be reset.
                outgoing[key] = nil
                if case .request(let id) = t.purpose { requests[id]?.transmission = nil }
                return
            }
            if t.transmissions < schedule.maxTransmissions {
                send(t.bytes, to: key.peer)
                t.transmissions += 1
                // From the scheduled time, not from when we were woken, so a late wake-up
                // does not shift the rest of the schedule.
                t.deadline = deadline + schedule.wait(afterTransmission: t.transmissions)
                outgoing[key] = t
                timers.push(.transmission(key), at: t.deadline)
            } else {
                outgoing[key] = nil
                switch t.purpose {
                case .request(let id): fail(id, .timeout)
                case .notification(let handle): emit(.notificationTimedOut(handle))
                }
            }
        case .response(let id):
            guard let r = requests[id], r.stage == .awaitingResponse(until: deadline) else { return }
            fail(id, .noResponse)
        }
    }

    /// Ends a request with a failure event.
    mutating func fail(_ id: UInt64, _ failure: ExchangeFailure) {
        guard let r = requests[id] else { return }
        close(id)
        emit(.requestFailed(r.handle, failure))
    }

    /// Forgets a request and anything still being sent for it, without an event.
    mutating func close(_ id: UInt64) {
        guard let r = requests.removeValue(forKey: id) else { return }
        let tokenKey = TokenKey(peer: r.handle.peer, token: r.handle.token)
        if requestsByToken[tokenKey] == id { requestsByToken[tokenKey] = nil }
        if let key = r.transmission, case .request(id)? = outgoing[key]?.purpose { outgoing[key] = nil }
    }

    /// Drops received messages whose lifetime is over.
    mutating func forgetExpired(now: Instant) {
        while let (deadline, key) = receivedExpiries.popDue(at: now) {
            if received[key]?.expiry == deadline { received[key] = nil }
        }
    }

    /// Clears stale timers from the top so `nextDeadline` is exact, and sweeps the whole queue
    /// when stale ones outnumber live ones.
    mutating func settle() {
        let (outgoing, requests, received) = (self.outgoing, self.requests, self.received)
        while let (deadline, timer) = timers.first, !Self.isLive(timer, at: deadline, outgoing, requests) {
            timers.removeFirst()
        }
        if timers.count > 64 && timers.count > 2 * (outgoing.count + requests.count) {
            timers.compact { deadline, timer in Self.isLive(timer, at: deadline, outgoing, requests) }
        }
        if receivedExpiries.count > 64 && receivedExpiries.count > 2 * received.count {
            receivedExpiries.compact { deadline, key in received[key]?.expiry == deadline }
        }
    }

    private static func isLive(_ timer: Timer, at deadline: Instant, _ outgoing: [MessageKey: Transmission],
                               _ requests: [UInt64: OpenRequest]) -> Bool {
        switch timer {
        case .transmission(let key): outgoing[key]?.deadline == deadline
        case .response(let id): requests[id]?.stage == .awaitingResponse(until: deadline)
        }
    }
}
