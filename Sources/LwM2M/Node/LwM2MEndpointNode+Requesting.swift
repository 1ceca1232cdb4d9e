import CoAP

/// The machine's requests: a large body goes out in Block1 blocks, a large answer (or
/// notification) is fetched in Block2 blocks, and the machine hears only the whole answer.
extension LwM2MEndpointNode {
    mutating func sendRequest(_ m: Message, to peer: PeerAddress, now: Instant) {
        // A request under a token already open towards the peer replaces it at the endpoint
        // (an Observe cancel carries its observation's token): forget the older record.
        for (id, e) in exchanges where e.handle.peer == peer && e.handle.token == m.token { exchanges[id] = nil }
        let upload = Block1Upload(request: m, szx: blockwise.szx)
        let handle = endpoint.sendRequest(upload.firstRequest, to: peer, confirmable: m.type == .confirmable, now: now)
        note(.requestSent(m, handle))
        exchanges[handle.id] = OutgoingExchange(handle: handle, machineToken: m.token, request: m,
                                                stage: upload.inFlight == nil ? .whole : .uploading(upload),
                                                purpose: .request)
    }

    mutating func receiveResponse(_ m: Message, for handle: RequestHandle, now: Instant) {
        guard var exchange = exchanges.removeValue(forKey: handle.id) else {
            return apply(machine.receive(m, from: handle.peer, now: now), now: now)
        }
        switch exchange.stage {
        case .whole:
            received(m, for: exchange, now: now)
        case .uploading(var upload):
            switch upload.receive(m) {
            case .request(let next):
                exchange.stage = .uploading(upload)
                proceed(exchange, with: next, now: now)
            case .complete(let final):
                // The answer to the whole body; it may itself come in blocks.
                exchange.stage = .whole
                var answer = final
                answer.token = exchange.machineToken
                received(answer, for: exchange, now: now)
            case .failed(let error):
                broke(exchange, error, now: now)
            }
        case .downloading(var download):
            switch download.receive(m) {
            case .request(let next):
                exchange.stage = .downloading(download)
                proceed(exchange, with: next, now: now)
            case .complete(let whole):
                var answer = whole
                answer.token = exchange.machineToken
                apply(machine.receive(answer, from: exchange.peer, now: now), now: now)
            case .duplicate:
                // The answer to this block request repeated an earlier block: the request is
                // closed at the endpoint and the peer will not send the block asked for.
                broke(exchange, .unexpectedResponse(m.code), now: now)
            case .failed(let error):
                broke(exchange, error, now: now)
            }
        }
    }

    /// An answer to a request that went whole (or whose upload ended), or a notification under
    /// an observation: handed on, or completed first when it is block 0 of more.
    private mutating func received(_ m: Message, for exchange: OutgoingExchange, now: Instant) {
        var exchange = exchange
        let firstAnswer = !exchange.answered
        exchange.answered = true
        // The endpoint keeps an Observe registration open while its answers carry Observe.
        let stillOpen = exchange.request.observe == 0 && m.observe != nil && m.code.isSuccess
        if stillOpen { exchanges[exchange.handle.id] = exchange }
        guard m.code.isSuccess, let block = m.block2, block.more else {
            return apply(machine.receive(m, from: exchange.peer, now: now), now: now)
        }
        // Later blocks are asked for with the same request minus its body (and minus Observe:
        // Block2Download drops it), so a POST answered in blocks is continued as RFC 7959 §3.3 shows.
        var base = exchange.request
        base.payload = []
        base.block1 = nil
        base.size1 = nil
        var download = Block2Download(request: base, maximumBodySize: blockwise.maximumBodySize)
        var fetch = exchange
        fetch.request = base
        if stillOpen {
            // Block 0 of a notification (or of the Observe's first answer): the rest is fetched
            // beside the observation, which stays open. A newer notification replaces an older
            // one still being fetched (§2.6).
            // A replaced fetch of the first answer hands its duty on: the machine's Observe
            // then completes with the newer body.
            var owesAnswer = firstAnswer
            for (id, e) in exchanges where e.isTransferring && e.machineToken == exchange.machineToken
                && e.peer == exchange.peer {
                if case .request = e.purpose { owesAnswer = true }
                endpoint.cancel(e.handle)
                exchanges[id] = nil
            }
            fetch.purpose = owesAnswer ? .request : .notificationRest
        }
        switch download.receive(m) {
        case .request(let next):
            fetch.stage = .downloading(download)
            proceed(fetch, with: next, now: now)
        case .complete(let whole):
            apply(machine.receive(whole, from: exchange.peer, now: now), now: now)
        case .duplicate:
            broke(fetch, .unexpectedResponse(m.code), now: now)
        case .failed(let error):
            broke(fetch, error, now: now)
        }
    }

    /// Sends the next block request of `exchange` under a fresh token.
    private mutating func proceed(_ exchange: OutgoingExchange, with next: Message, now: Instant) {
        var m = next
        m.token = .empty
        var e = exchange
        e.handle = endpoint.sendRequest(m, to: exchange.peer, confirmable: exchange.request.type == .confirmable, now: now)
        exchanges[e.handle.id] = e
    }

    /// A transfer that cannot go on: the machine's request fails; a notification's rest is dropped.
    private mutating func broke(_ exchange: OutgoingExchange, _ error: BlockwiseError, now: Instant) {
        guard case .request = exchange.purpose else { return }
        apply(machine.exchangeFailed(token: exchange.machineToken, .malformedResponse("block-wise: \(error)"), now: now),
              now: now)
    }
}
