import CoAP

/// The peer's requests and our answers: Block1 bodies are reassembled before the machine sees
/// them, large answers and notifications are cut into Block2 blocks after it spoke.
extension LwM2MEndpointNode {
    mutating func receiveRequest(_ r: IncomingRequest, now: Instant) {
        let whole: Message
        let block1: BlockOption?
        switch blockReceiver.receive(r.message, from: r.peer, now: now) {
        case .answer(let reply):
            // 2.31 for a block in the middle, or a refusal: the machine sees nothing yet.
            endpoint.respond(to: r, with: reply, now: now)
            return
        case .deliver(let message, let lastBlock):
            whole = message
            block1 = lastBlock
        }
        if let asked = whole.block2, asked.number > 0,
           let kept = blockSender.cachedResponse(to: whole, from: r.peer, now: now) {
            endpoint.respond(to: r, with: kept, now: now)
            return
        }
        // Block 0, or a later block whose answer is no longer kept: the machine answers afresh
        // and `answer` cuts out the block asked for.
        rememberObserver(whole, from: r.peer)
        let key = RequestKey(peer: r.peer, messageID: whole.messageID, token: whole.token)
        incoming[key] = IncomingExchange(request: r, whole: whole, block1: block1)
        apply(machine.receive(whole, from: r.peer, now: now), now: now)
        // The machines answer at once, or never (a sleeping client), or later when they hold it.
        guard incoming[key] != nil else { return }
        if machine.isHolding(messageID: key.messageID, from: key.peer) {
            if let delay = separateResponseAfter { deferAt[key] = now + delay }
        } else {
            incoming[key] = nil
        }
    }

    /// The machine's answer to a peer request: cut to the block asked for (or to block 0 when
    /// it is over one block), with the Block1 option of a body that came in blocks.
    mutating func answer(_ pending: IncomingExchange, with m: Message, now: Instant) {
        var response = m
        if m.code.isSuccess {
            response = blockSender.respond(to: pending.whole, from: pending.request.peer, with: m, now: now)
        }
        if let block1 = pending.block1 { response.block1 = block1 }
        if pending.whole.observe == 0 && response.observe == nil {
            // The registration was refused: no notifications will follow.
            observers[ObserverKey(peer: pending.request.peer, token: pending.whole.token)] = nil
        }
        let disposition = endpoint.respond(to: pending.request, with: response, now: now)
        if case .separate(let handle) = disposition, response.observe != nil {
            // The registration's own answer: its RST or timeout ends the relation as a
            // notification's would.
            machine.notificationSent(handle.relation, messageID: handle.messageID, now: now)
        }
        note(.responseSent(response, to: pending.request, disposition))
    }

    /// A notification: block 0 with Observe when it is over one block (or its registration
    /// asked for blocks); the observer fetches the rest with plain GETs answered from the copy.
    mutating func sendNotification(_ m: Message, to peer: PeerAddress, now: Instant) {
        let key = ObserverKey(peer: peer, token: m.token)
        var out = m
        if m.code.isSuccess, let registration = observers[key] {
            out = blockSender.respond(to: registration.request, from: peer, with: m, now: now)
        }
        if !out.code.isSuccess || out.observe == nil { observers[key] = nil }
        let handle = endpoint.sendNotification(out, to: peer, confirmable: m.type == .confirmable, now: now)
        machine.notificationSent(handle.relation, messageID: handle.messageID, now: now)
        note(.notificationSent(out, handle))
    }

    /// Keeps a GET Observe=0 to cut later notifications by (their blocks are fetched with that
    /// request's path, query and Accept); a GET Observe=1 forgets it.
    mutating func rememberObserver(_ request: Message, from peer: PeerAddress) {
        guard request.code == .get, let observe = request.observe else { return }
        let key = ObserverKey(peer: peer, token: request.token)
        guard observe == 0 else { observers[key] = nil; return }
        if observers[key] == nil, observers.count >= max(1, blockwise.maximumObservers),
           let oldest = observers.min(by: { $0.value.serial < $1.value.serial })?.key {
            observers[oldest] = nil
        }
        nextObserverSerial += 1
        var kept = request
        kept.payload = []
        observers[key] = ObserverRecord(request: kept, serial: nextObserverSerial)
    }
}
