/// One entry in a server's list of observers (RFC 7641 §4.1): which peer observes which
/// resource under which token, and the state needed to number and send its notifications.
///
/// A relation is identified by `(peer, token)` alone: a new registration with the same pair
/// replaces the old entry, whatever path it names. The same peer observing the same path
/// under another token is a second, independent relation.
public struct ObserveRelation: Hashable, Sendable, CustomStringConvertible {
    public struct Key: Hashable, Sendable, CustomStringConvertible {
        public var peer: PeerAddress
        public var token: Token
        public init(peer: PeerAddress, token: Token) { self.peer = peer; self.token = token }
        public var description: String { "\(peer) tok=\(token)" }
    }

    public let key: Key
    /// The registering GET, kept whole: notifications echo its token, the LwM2M layer reads
    /// its query (write-attributes) and a block-wise notification is cut against it.
    public let request: Message
    /// The Observe value the next notification (or the registration's response) carries.
    public internal(set) var nextSequence: ObserveSequence
    public internal(set) var registeredAt: Instant
    /// When the last confirmable notification was built; drives the daily-CON rule.
    public internal(set) var lastConfirmableAt: Instant?
    /// How many notifications have been built for this relation (the first response excluded).
    public internal(set) var notificationCount: Int = 0
    /// Message ids of the latest notifications, newest last, so that an RST or a timeout
    /// for any still-recent one ends the relation (NON notifications may overlap).
    public internal(set) var recentMessageIDs: [UInt16] = []

    init(key: Key, request: Message, firstSequence: ObserveSequence, now: Instant) {
        self.key = key
        self.request = request
        self.nextSequence = firstSequence
        self.registeredAt = now
    }

    public var peer: PeerAddress { key.peer }
    public var token: Token { key.token }
    public var path: [String] { request.uriPath }
    public var query: [String] { request.uriQuery }
    /// The content format the observer asked for with Accept, if any.
    public var accept: UInt32? { request.accept }

    /// Takes the current number and advances the counter.
    mutating func takeSequence() -> ObserveSequence {
        defer { nextSequence = nextSequence.successor }
        return nextSequence
    }

    /// A notification goes out: its sequence number, and the relation's count, last CON time
    /// and message ids brought up to date.
    mutating func noteNotification(confirmable: Bool, messageID: UInt16?, keeping limit: Int, now: Instant) -> ObserveSequence {
        notificationCount += 1
        if confirmable { lastConfirmableAt = now }
        if let messageID { remember(messageID: messageID, keeping: limit) }
        return takeSequence()
    }

    mutating func remember(messageID: UInt16, keeping limit: Int) {
        recentMessageIDs.removeAll { $0 == messageID }
        recentMessageIDs.append(messageID)
        if recentMessageIDs.count > limit { recentMessageIDs.removeFirst(recentMessageIDs.count - limit) }
    }

    public var description: String { "observe \(request.path) by \(key) next=\(nextSequence.value)" }
}
