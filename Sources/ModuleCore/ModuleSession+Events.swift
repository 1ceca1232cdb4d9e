import ATProtocol
import CoAP
import LwM2M

extension ModuleSession {
    /// Turns what the endpoint and the client reported into session events: the endpoint's
    /// first (message ids, RSTs), then the client's.
    mutating func collect(now: Instant) {
        // In place (`node?.`): a copy taken out and written back would share the endpoint's
        // storage and copy all of it on the first mutation.
        guard node != nil else { return }
        let transport = node?.takeTransportEvents() ?? []
        let clientEvents = node?.takeEvents() ?? []
        for event in transport { handle(event) }
        for event in clientEvents { handle(event, now: now) }
    }

    mutating func handle(_ event: TransportEvent) {
        switch event {
        case .requestSent(let message, let handle):
            if message.uriPath == ["dp"], let send = waits.sends[message.token] {
                waits.sends[message.token]?.messageID = handle.messageID
                events.append(.outcome(send.id, .completed(.success, messageID: handle.messageID)))
                if !send.confirmable { waits.sends[message.token] = nil }
            } else if message.code == .post, let location = node?.machine.location, message.uriPath == location {
                // This Update carries every request made since the previous one went out.
                waits.updatesSent[message.token] = (handle.messageID, waits.updatesToSend)
                waits.updatesToSend = []
            }
        case .notificationSent(_, let handle):
            guard let id = waits.notificationsSending.removeValue(forKey: handle.token) else {
                if handle.isConfirmable { waits.unaskedConfirmable.insert(handle.messageID) }
                return
            }
            waits.notificationAcks[handle.messageID] = id
            events.append(.outcome(id, .sent(messageID: handle.messageID)))
            events.append(.outcome(id, .completed(.success)))
        case .responseSent(_, let request, let disposition):
            guard let id = waits.responses.removeValue(forKey: request.message.messageID) else { return }
            events.append(.outcome(id, .completed(disposition == .notPending ? .notSent : .success)))
        case .responseDeferred:
            break
        case .notificationAcknowledged(let handle):
            waits.unaskedConfirmable.remove(handle.messageID)
            if let id = waits.notificationAcks.removeValue(forKey: handle.messageID) {
                events.append(.outcome(id, .acknowledged(.success, messageID: handle.messageID)))
            }
        case .notificationTimedOut(let handle):
            if let id = waits.notificationAcks.removeValue(forKey: handle.messageID) {
                events.append(.outcome(id, .acknowledged(.timeout, messageID: handle.messageID)))
            } else if waits.unaskedConfirmable.remove(handle.messageID) != nil {
                events.append(.notificationTimedOut(messageID: handle.messageID))
            }
        case .reset(_, _, let messageID):
            events.append(.resetReceived(messageID: messageID))
            waits.unaskedConfirmable.remove(messageID)
            if let id = waits.notificationAcks.removeValue(forKey: messageID) {
                events.append(.outcome(id, .acknowledged(.reset, messageID: messageID)))
            }
        }
    }

    mutating func handle(_ event: ClientEvent, now: Instant) {
        switch event {
        case .registered:
            finishRegister(.success)
        case .registrationFailed(let cause), .bootstrapFailed(let cause):
            finishRegister(ResultCode(cause))
        case .bootstrapFinished(let peer):
            guard let configuration, let client = node?.machine else { return }
            reportServerChanges()
            // A coaps:// account keeps its PSK: the next AT+QLAREG goes straight to it over DTLS.
            let account = client.bootstrappedAccount
            // The key's bytes are kept as written (/0/x/5 is opaque): its text alone would turn
            // invalid UTF-8 into U+FFFD and the next handshake would use another key.
            let psk = account.flatMap { $0.isSecure && $0.mode == .preSharedKey ? $0 : nil }
            let endpoint = configuration.server.endpoint, lifetime = Int64(client.lifetime)
            let binding = waits.binding ?? configuration.server.binding
            let server = psk.map {
                ServerConfiguration(host: peer.host, port: peer.port, endpoint: endpoint, lifetime: lifetime,
                                    pskIdentity: String(decoding: $0.identity, as: UTF8.self), key: $0.secretKey,
                                    binding: binding)
            } ?? ServerConfiguration(host: peer.host, port: peer.port, endpoint: endpoint, lifetime: lifetime, binding: binding)
            events.append(.bootstrapFinished(server))
        case .updated(let token):
            // Matched by token: with Updates overlapping, the answer is its own request's.
            let sent = waits.updatesSent.removeValue(forKey: token)
            guard let sent, !sent.ids.isEmpty else {
                // The client updated by itself (the server asked for it): the registration is
                // refreshed all the same.
                events.append(.registrationUpdated)
                return
            }
            for id in sent.ids { events.append(.outcome(id, .completed(.success, messageID: sent.messageID))) }
        case .updateFailed(let cause, let token):
            let sent = waits.updatesSent.removeValue(forKey: token)
            // A failed Update also drops those that waited behind it (the client sends no
            // follow-up); they report the failed one's code and message id.
            for id in (sent?.ids ?? []) + waits.updatesToSend {
                events.append(.outcome(id, .completed(ResultCode(cause), messageID: sent?.messageID)))
            }
            waits.updatesToSend = []
        case .deregistered:
            finishDeregister(.success, now: now)
        case .deregistrationFailed(let cause):
            finishDeregister(ResultCode(cause), now: now)
        case .served(let served):
            // A bootstrap's writes are reported once, when it finishes: midway the client's
            // account holds values no server gave.
            if served.code.isSuccess, served.kind == .write, served.path == "/" || served.path.hasPrefix("/1") {
                reportServerChanges()
            }
        case .heldForOwner(let held):
            announce(held, now: now)
        case .observationCancelled(let path, _):
            waits.observeAccept[path] = nil
            events.append(.observationCancelled(path))
        case .sendCompleted(let token):
            guard let send = waits.sends.removeValue(forKey: token), send.confirmable, let mid = send.messageID else { return }
            events.append(.outcome(send.id, .acknowledged(.success, messageID: mid)))
        case .sendFailed(let token, let cause):
            guard let send = waits.sends.removeValue(forKey: token), send.confirmable, let mid = send.messageID else { return }
            events.append(.outcome(send.id, .acknowledged(ResultCode(cause), messageID: mid)))
        default:
            break
        }
    }

    private mutating func finishRegister(_ code: ResultCode) {
        guard let id = waits.register else { return }
        waits.register = nil
        events.append(.outcome(id, .completed(code)))
        if code != .success { node = nil }
    }

    private mutating func finishDeregister(_ code: ResultCode, now: Instant) {
        guard let id = waits.deregister else { return }
        events.append(.outcome(id, .completed(code)))
        // Whatever the server said (or if it said nothing), the module's session is over.
        end(now: now)
    }

    /// A lifetime or binding that differs from what the engine knows was set by the server (a
    /// write to /1/x/1 or /1/x/7, or bootstrap).
    private mutating func reportServerChanges() {
        guard let client = node?.machine else { return }
        let lifetime = Int64(client.lifetime)
        if lifetime != waits.lifetime {
            waits.lifetime = lifetime
            events.append(.lifetimeChanged(lifetime))
        }
        if let binding = ServerConfiguration.Binding(letters: client.binding), binding != waits.binding {
            waits.binding = binding
            events.append(.bindingChanged(binding))
        }
    }

    /// A request the TE answers becomes a `serverRequest` event; a write whose payload does not
    /// decode is refused with 4.00 at once.
    private mutating func announce(_ held: HeldRequest, now: Instant) {
        let request: ServerRequest
        switch held.operation {
        case .read:
            request = .read(messageID: held.messageID, path: held.path,
                            uriQuery: held.uriQuery.isEmpty ? nil : held.uriQuery.joined(separator: "&"))
        case .observe:
            request = .observe(messageID: held.messageID, path: held.path, cancel: false)
        case .cancelObservation:
            request = .observe(messageID: held.messageID, path: held.path, cancel: true)
        case .write(let content, _):
            guard let parts = ValueContent.parts(of: content, at: held.path) else {
                diagnostics.append("write \(held.messageID) on \(held.path): \(content.format) payload does not decode; 4.00")
                refuse(held, now: now)
                return
            }
            request = .write(messageID: held.messageID, path: held.path, parts: parts)
        case .execute:
            request = .execute(messageID: held.messageID, path: held.path)
        }
        waits.held[held.messageID] = held
        events.append(.serverRequest(request))
    }

    /// Answers 4.00 to a held request the TE never hears of. Called while collecting; what it
    /// sends leaves with the datagrams of the call under way.
    private mutating func refuse(_ held: HeldRequest, now: Instant) {
        let out = node?.command(now: now) { $0.answer(heldRequest: held.messageID, code: .badRequest, content: nil, now: now) }
        pendingDatagrams += out ?? []
    }
}
