import CoAP

extension LwM2MClient {
    /// The effective notification rules at `path`: the attributes written on it and its
    /// parents, then the Server object's default periods (`/1/x/2`, `/1/x/3`).
    func schedule(for path: LwM2MPath) -> NotificationSchedule {
        var defaultMin: UInt32 = 0
        var defaultMax: UInt32?
        if let id = serverInstanceID {
            if let v = objects.value(at: LwM2MPath(1, id, 2))?.integerValue, let p = UInt32(exactly: v) { defaultMin = p }
            if let v = objects.value(at: LwM2MPath(1, id, 3))?.integerValue, let p = UInt32(exactly: v) { defaultMax = p }
        }
        return NotificationSchedule(objects.effectiveAttributes(path), defaultMinimumPeriod: defaultMin,
                                    defaultMaximumPeriod: defaultMax)
    }

    /// The observed target now, as the notification would carry it.
    func sample(_ path: LwM2MPath, accept: ContentFormat?) throws(OperationError) -> (EncodedContent, ObservedValue) {
        let content = try objects.read(path, accept: accept)
        var number: Double?
        if path.resourceID != nil { number = objects.value(at: path)?.doubleValue }
        return (content, ObservedValue(content: content.bytes, number: number))
    }

    /// Starts an observation for a GET with Observe 0; returns the response to send.
    mutating func startObservation(_ request: Message, path: LwM2MPath, accept: ContentFormat?,
                                   from peer: PeerAddress, now: Instant) -> (Message, [Action]) {
        let content: EncodedContent
        let value: ObservedValue
        do throws(OperationError) {
            (content, value) = try sample(path, accept: accept)
        } catch {
            return (.response(to: request, error.code, payload: Array(error.description.utf8)), [])
        }
        let nextID = (observations.values.map(\.id).max() ?? 0) + 1
        // A new Observe from the same peer under a token in use replaces that relation
        // (RFC 7641 §4.1); its sequence carries on so the observer never sees it go back.
        let previous = observations[request.token].flatMap { $0.peer == peer ? $0.sequence : nil }
        let sequence = previous.map { ObserveSequence($0).successor.value } ?? 0
        observations[request.token] = ClientObservation(
            id: nextID, token: request.token, peer: peer, path: path, accept: accept,
            state: ObservationState(schedule: schedule(for: path), initialValue: value, notifiedAt: now),
            sequence: sequence)
        var response = Message.response(to: request, .content, contentFormat: UInt32(content.format.rawValue),
                                        payload: content.bytes)
        response.observe = sequence
        return (response, [.event(.observationStarted(path, token: request.token))])
    }

    /// Ends the observation with `token` (GET with Observe 1, or its path re-read).
    mutating func cancelObservation(token: Token, reason: String) -> [Action] {
        guard let o = observations.removeValue(forKey: token) else { return [] }
        return [.event(.observationCancelled(o.path, reason: reason))]
    }

    /// Refreshes each observation's rules (attributes may have been written) and lets each one
    /// decide whether a notification is due now.
    mutating func evaluateObservations(now: Instant) -> [Action] {
        var actions: [Action] = []
        for (token, o) in observations.sorted(by: { $0.value.id < $1.value.id }) where !o.ownerDriven {
            guard let (_, value) = try? sample(o.path, accept: o.accept) else {
                // The target is gone (instance deleted): the relation ends with it.
                observations[token] = nil
                var gone = Message(type: configuration.confirmableNotifications ? .confirmable : .nonConfirmable,
                                   code: .notFound, token: token)
                gone.observe = o.sequence &+ 1
                actions.append(.send(gone, to: o.peer))
                actions.append(.event(.observationCancelled(o.path, reason: "target removed")))
                continue
            }
            var state = o.state
            state.schedule = schedule(for: o.path)
            let decision = state.evaluate(current: value, now: now)
            observations[token]?.state = state
            guard case .notify = decision else { continue }
            guard isAsleep else {
                actions += notify(token, now: now)
                continue
            }
            // Asleep: the notification is owed until the next wake (or wakes us, if so configured).
            if !o.owed {
                observations[token]?.owed = true
                actions.append(.event(.notificationQueued(o.path)))
            }
            if configuration.wakeForNotifications { actions += sendUpdate(now: now) }
        }
        return actions
    }

    /// Sends a notification for `token` with the current value, and records it as notified.
    mutating func notify(_ token: Token, now: Instant) -> [Action] {
        guard var o = observations[token], let (content, value) = try? sample(o.path, accept: o.accept) else { return [] }
        o.sequence = ObserveSequence(o.sequence).successor.value
        o.state.record(value, at: now)
        observations[token] = o
        let confirmable = configuration.confirmableNotifications
        var m = Message(type: confirmable ? .confirmable : .nonConfirmable, code: .content, token: token)
        m.observe = o.sequence
        m.contentFormat = UInt32(content.format.rawValue)
        m.payload = content.bytes
        return [.send(m, to: o.peer), .event(.notificationSent(o.path, sequence: o.sequence, confirmable: confirmable))]
    }

    /// Sends a notification on every observation of `path` now, whatever the attributes say
    /// (the module's AT+QLANOTIFY). Returns nothing when `path` is not observed.
    public mutating func notifyNow(_ path: LwM2MPath, now: Instant) -> [Action] {
        let tokens = observations.filter { $0.value.path == path }.sorted { $0.value.id < $1.value.id }.map(\.key)
        if isAsleep {
            for t in tokens { observations[t]?.owed = true }
            return tokens.isEmpty ? [] : [.event(.notificationQueued(path))] + sendUpdate(now: now)
        }
        return tokens.flatMap { notify($0, now: now) }
    }

    /// Paths observed now, in the order the observations were made.
    public var observedPaths: [LwM2MPath] {
        observations.values.sorted { $0.id < $1.id }.map(\.path)
    }
}
