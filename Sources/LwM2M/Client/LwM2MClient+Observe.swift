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
        do throws(OperationError) {
            let (content, value) = try sample(path, accept: accept)
            let response = Message.response(to: request, .content, contentFormat: UInt32(content.format.rawValue),
                                            payload: content.bytes)
            let state = ObservationState(schedule: schedule(for: path), initialValue: value, notifiedAt: now)
            return register(request, from: peer, answer: response, observing: path, accept: accept, state: state,
                            ownerDriven: false, now: now)
        } catch {
            let refusal = Message.response(to: request, error.code, payload: Array(error.description.utf8))
            return register(request, from: peer, answer: refusal, observing: path, accept: accept, state: nil,
                            ownerDriven: false, now: now)
        }
    }

    /// Shows the observer list a GET Observe=0 and its answer: a success registers the relation
    /// (a new one from the same peer under a token in use replaces that relation and carries
    /// its sequence on, RFC 7641 §4.1) and stamps the answer with Observe; an error answer ends
    /// any relation under that peer and token. Returns the answer to send and the events.
    mutating func register(_ request: Message, from peer: PeerAddress, answer: Message, observing path: LwM2MPath,
                           accept: ContentFormat?, state: ObservationState?, ownerDriven: Bool,
                           now: Instant) -> (Message, [Action]) {
        let key = ObserveRelation.Key(peer: peer, token: request.token)
        let previous = observations.removeValue(forKey: key)
        let result = observers.respond(to: request, from: peer, with: answer, now: now)
        switch result.change {
        case .registered, .replaced:
            guard let state else { break }
            let nextID = (observations.values.map(\.id).max() ?? 0) + 1
            observations[key] = ClientObservation(id: nextID, path: path, accept: accept, state: state,
                                                  ownerDriven: ownerDriven)
            return (result.response, [.event(.observationStarted(path, token: request.token))])
        case .deregistered, .none, .refused:
            break
        }
        observers.remove(key)
        let ended = previous.map { [Action.event(.observationCancelled($0.path, reason: "re-registration refused"))] } ?? []
        return (result.response, ended)
    }

    /// Ends the relation `key` (GET with Observe 1 from its peer under its token).
    mutating func cancelObservation(_ key: ObserveRelation.Key, reason: String) -> [Action] {
        observers.remove(key)
        guard let o = observations.removeValue(forKey: key) else { return [] }
        return [.event(.observationCancelled(o.path, reason: reason))]
    }

    /// The relations in the order they were made.
    var observationKeys: [ObserveRelation.Key] {
        observations.sorted { $0.value.id < $1.value.id }.map(\.key)
    }

    /// Refreshes each observation's rules (attributes may have been written) and lets each one
    /// decide whether a notification is due now.
    mutating func evaluateObservations(now: Instant) -> [Action] {
        var actions: [Action] = []
        for key in observationKeys {
            guard let o = observations[key], !o.ownerDriven else { continue }
            guard let (_, value) = try? sample(o.path, accept: o.accept) else {
                // The target is gone (instance deleted): the relation ends with it, with a
                // 4.04 that carries no Observe (RFC 7641 §4.2).
                observations[key] = nil
                if let gone = observers.notification(for: key, code: .notFound, contentFormat: nil, payload: [],
                                                     confirmable: confirmable(key, now: now), messageID: nil, now: now) {
                    actions.append(.send(gone, to: key.peer))
                }
                observers.remove(key)
                actions.append(.event(.observationCancelled(o.path, reason: "target removed")))
                continue
            }
            var state = o.state
            state.schedule = schedule(for: o.path)
            let decision = state.evaluate(current: value, now: now)
            observations[key]?.state = state
            guard case .notify = decision else { continue }
            guard isAsleep else {
                actions += notify(key, now: now)
                continue
            }
            // Asleep: the notification is owed until the next wake (or wakes us, if so configured).
            if !o.owed {
                observations[key]?.owed = true
                actions.append(.event(.notificationQueued(o.path)))
            }
            if configuration.wakeForNotifications { actions += sendUpdate(now: now) }
        }
        return actions
    }

    /// Whether the next notification of `key` goes CON: always when so configured, else when
    /// the relation has had no CON for a day (RFC 7641 §4.5: a vanished observer is noticed
    /// by the CON it never acknowledges).
    func confirmable(_ key: ObserveRelation.Key, now: Instant) -> Bool {
        configuration.confirmableNotifications || observers.confirmableDue(for: key, now: now)
    }

    /// Sends a notification for `key` with the current value, and records it as notified.
    mutating func notify(_ key: ObserveRelation.Key, now: Instant) -> [Action] {
        guard let o = observations[key], let (content, value) = try? sample(o.path, accept: o.accept) else { return [] }
        let con = confirmable(key, now: now)
        guard let m = observers.notification(for: key, contentFormat: UInt32(content.format.rawValue),
                                             payload: content.bytes, confirmable: con, messageID: nil, now: now)
        else { return [] }
        observations[key]?.state.record(value, at: now)
        return [.send(m, to: key.peer), .event(.notificationSent(o.path, sequence: m.observe ?? 0, confirmable: con))]
    }

    /// Sends a notification on every observation of `path` now, whatever the attributes say
    /// (the module's AT+QLANOTIFY). Returns nothing when `path` is not observed.
    public mutating func notifyNow(_ path: LwM2MPath, now: Instant) -> [Action] {
        let keys = observationKeys.filter { observations[$0]?.path == path }
        if isAsleep {
            for k in keys { observations[k]?.owed = true }
            return keys.isEmpty ? [] : [.event(.notificationQueued(path))] + sendUpdate(now: now)
        }
        return keys.flatMap { notify($0, now: now) }
    }

    /// Paths observed now, in the order the observations were made.
    public var observedPaths: [LwM2MPath] {
        observationKeys.compactMap { observations[$0]?.path }
    }

    /// The observe relations served now, oldest first (peer, token, sequence, daily-CON clock).
    public var observeRelations: [ObserveRelation] {
        observationKeys.compactMap { observers[$0] }
    }

    // MARK: - the fate of notifications, from the exchange beneath

    /// A notification (or the separate response to an Observe) of the relation `key` went out
    /// as message `messageID`: an RST or a timeout naming that id ends the relation.
    public mutating func notificationSent(_ key: ObserveRelation.Key, messageID: UInt16, now: Instant) {
        observers.sent(messageID: messageID, for: key)
    }

    /// The observer acknowledged the CON notification `messageID`.
    public mutating func notificationAcknowledged(_ key: ObserveRelation.Key, messageID: UInt16,
                                                  now: Instant) -> [Action] {
        guard let o = observations[key] else { return [] }
        return [.event(.notificationAcknowledged(o.path))]
    }

    /// The observer answered notification `messageID` with RST, or never acknowledged it
    /// (a CON past its last retransmission): the relation that sent it ends (RFC 7641 §3.6,
    /// §4.5). A message id no relation of that peer sent recently (one of a relation since
    /// replaced) changes nothing.
    public mutating func notificationFailed(_ key: ObserveRelation.Key, messageID: UInt16, _ failure: FailureCause,
                                            now: Instant) -> [Action] {
        let ended = failure == .reset ? observers.reset(messageID: messageID, from: key.peer)
            : observers.confirmableTimedOut(messageID: messageID, to: key.peer)
        guard let ended, let o = observations.removeValue(forKey: ended.key) else { return [] }
        return [.event(.observationCancelled(o.path, reason: "notification \(failure)"))]
    }
}
