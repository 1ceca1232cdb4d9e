/// A server's list of observers (RFC 7641 §4): registers and deregisters relations from the
/// GET requests it is shown, numbers and builds notifications, and drops relations whose
/// observer rejected (RST) or never acknowledged (CON timeout) a notification.
///
/// Sans-I/O and reliability-free: it never picks message ids or retransmits. The exchange
/// machine hands it each Observe-bearing request together with the response the resource
/// produced, passes the message id it chose for each notification (or, when the id is picked
/// beneath after the notification is built, reports it with `sent(messageID:for:)`), and
/// reports RSTs and CON timeouts by message id.
public struct ObserverList: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// The Observe value of a new relation's first response; later notifications count up
        /// from it. A registration that replaces one with the same token continues the old
        /// count instead, so the observer never sees the number go backwards.
        public var initialSequence: UInt32 = 0
        /// With this set, `confirmableDue(for:now:)` asks for a CON once this long has passed
        /// since the last CON (or the registration), so a vanished observer is noticed:
        /// RFC 7641 §4.5 suggests at least one every 24 hours.
        public var confirmableInterval: Int64? = 86_400_000
        /// Registrations beyond this many are answered without Observe (not registered).
        public var maximumRelations: Int = 64
        /// How many recent notification message ids per relation an RST or timeout may match.
        public var rememberedMessageIDs: Int = 4
        public init() {}
    }

    /// What `respond(to:from:with:now:)` did to the list.
    public enum Change: Hashable, Sendable {
        /// The request did not register or deregister anything.
        case none
        case registered(ObserveRelation)
        /// A relation with the same peer and token existed and was replaced.
        case replaced(ObserveRelation)
        /// Removed by GET Observe=1, or by an error answer to a re-registration.
        case deregistered(ObserveRelation)
        /// The list is full; the response went out as a plain response.
        case refused
    }

    public struct Answer: Hashable, Sendable {
        /// The response to send: Observe added when a relation now exists, removed otherwise.
        public var response: Message
        public var change: Change
    }

    public let configuration: Configuration
    public private(set) var relationsByKey: [ObserveRelation.Key: ObserveRelation] = [:]

    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    public subscript(key: ObserveRelation.Key) -> ObserveRelation? { relationsByKey[key] }
    public var count: Int { relationsByKey.count }

    /// Every relation, oldest registration first (ties broken by peer and token) so that
    /// notifications go out in a reproducible order.
    public var relations: [ObserveRelation] {
        relationsByKey.values.sorted {
            if $0.registeredAt != $1.registeredAt { return $0.registeredAt < $1.registeredAt }
            if $0.peer.description != $1.peer.description { return $0.peer.description < $1.peer.description }
            return ($0.token.count, $0.token.packed) < ($1.token.count, $1.token.packed)
        }
    }

    /// The relations whose Uri-Path is exactly `path`.
    public func relations(observing path: [String]) -> [ObserveRelation] {
        relations.filter { $0.path == path }
    }

    public func relations(of peer: PeerAddress) -> [ObserveRelation] {
        relations.filter { $0.peer == peer }
    }

    /// Applies a GET (or FETCH) request's Observe option, given the response the resource
    /// produced for it. Observe=0 with a 2.xx response registers (or replaces the relation
    /// with the same peer and token) and stamps the response with its first sequence
    /// number; with any other response nothing is registered and an existing relation under
    /// that token ends. Observe=1 deregisters. Other methods and values change nothing.
    public mutating func respond(to request: Message, from peer: PeerAddress, with response: Message,
                                 now: Instant) -> Answer {
        var plain = response
        plain.observe = nil
        guard request.code == .get || request.code == .fetch, let observe = request.observe,
              observe == 0 || observe == 1 else {
            return Answer(response: plain, change: .none)
        }
        let key = ObserveRelation.Key(peer: peer, token: request.token)
        guard observe == 0, response.code.isSuccess else {
            let removed = relationsByKey.removeValue(forKey: key)
            return Answer(response: plain, change: removed.map { .deregistered($0) } ?? .none)
        }
        let previous = relationsByKey[key]
        if previous == nil && relationsByKey.count >= configuration.maximumRelations {
            return Answer(response: plain, change: .refused)
        }
        let first = previous?.nextSequence ?? ObserveSequence(configuration.initialSequence)
        var relation = ObserveRelation(key: key, request: request, firstSequence: first, now: now)
        var stamped = response
        stamped.observe = relation.takeSequence().value
        relationsByKey[key] = relation
        return Answer(response: stamped, change: previous == nil ? .registered(relation) : .replaced(relation))
    }

    /// Whether the next notification for `key` should be confirmable under the
    /// `confirmableInterval` rule. Callers that always send CON or always NON can ignore it.
    public func confirmableDue(for key: ObserveRelation.Key, now: Instant) -> Bool {
        guard let interval = configuration.confirmableInterval, let r = relationsByKey[key] else { return false }
        return now - (r.lastConfirmableAt ?? r.registeredAt) >= interval
    }

    /// Builds the next notification for the relation `key`: its token, the next Observe
    /// number, `contentFormat` and `payload`, CON or NON, with the message id the exchange
    /// machine chose (remembered so an RST or timeout can be matched to this relation). With
    /// `messageID` nil the message carries 0 and nothing is remembered: the layer that assigns
    /// the id reports it with `sent(messageID:for:)`.
    /// A non-2.xx `code` carries no Observe option and ends the relation (§4.2).
    /// Nil when no such relation exists. `options` adds e.g. ETag or Max-Age.
    public mutating func notification(for key: ObserveRelation.Key, code: Code = .content,
                                      contentFormat: UInt32?, payload: [UInt8], options: [Option] = [],
                                      confirmable: Bool, messageID: UInt16?, now: Instant) -> Message? {
        guard relationsByKey[key] != nil else { return nil }
        var message = Message(type: confirmable ? .confirmable : .nonConfirmable, code: code,
                              messageID: messageID ?? 0, token: key.token, options: options, payload: payload)
        message.contentFormat = contentFormat
        guard code.isSuccess else {
            message.observe = nil
            relationsByKey[key] = nil
            return message
        }
        // In place: a copy taken out and put back would copy the relation's arrays each time.
        let keeping = max(1, configuration.rememberedMessageIDs)
        message.observe = relationsByKey[key]?.noteNotification(confirmable: confirmable, messageID: messageID,
                                                                keeping: keeping, now: now).value
        return message
    }

    /// A message of the relation `key` (a notification, or the registration's separate
    /// response) went out as `messageID`, picked by the layer beneath: an RST or timeout for
    /// it now ends the relation. Nothing happens when the relation is gone (or was replaced
    /// meanwhile: a replacement starts with no message ids, so a late failure of the old
    /// relation's message cannot end the new one).
    public mutating func sent(messageID: UInt16, for key: ObserveRelation.Key) {
        relationsByKey[key]?.remember(messageID: messageID, keeping: max(1, configuration.rememberedMessageIDs))
    }

    /// The observer answered a notification with RST (§3.6, §4.5): ends the relation that
    /// sent message `messageID` to `peer`, and returns it. Nil when no relation matches.
    public mutating func reset(messageID: UInt16, from peer: PeerAddress) -> ObserveRelation? {
        removeRelation(sentMessageID: messageID, to: peer)
    }

    /// A confirmable notification was never acknowledged (§4.5): ends its relation.
    public mutating func confirmableTimedOut(messageID: UInt16, to peer: PeerAddress) -> ObserveRelation? {
        removeRelation(sentMessageID: messageID, to: peer)
    }

    @discardableResult
    public mutating func remove(_ key: ObserveRelation.Key) -> ObserveRelation? {
        relationsByKey.removeValue(forKey: key)
    }

    /// Ends every relation of `peer` (e.g. the LwM2M client deregistered or re-registered).
    @discardableResult
    public mutating func removeAll(of peer: PeerAddress) -> [ObserveRelation] {
        let gone = relations(of: peer)
        for r in gone { relationsByKey[r.key] = nil }
        return gone
    }

    private mutating func removeRelation(sentMessageID id: UInt16, to peer: PeerAddress) -> ObserveRelation? {
        guard let match = relationsByKey.values.first(where: { $0.peer == peer && $0.recentMessageIDs.contains(id) })
        else { return nil }
        return relationsByKey.removeValue(forKey: match.key)
    }
}
