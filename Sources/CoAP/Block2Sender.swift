/// The server side of a Block2 transfer (RFC 7959 §2.4): answers with one block of a large
/// response at a time and keeps the whole response for the follow-up GETs.
///
/// Flow for the exchange machine: on a GET carrying Block2 with a number above 0, try
/// `cachedResponse(to:from:now:)` first; on nil (nothing kept, or it expired) produce the
/// full response again and pass it to `respond(to:from:with:now:)`, which answers every
/// request, first or not. The block size is the client's Block2 exponent or
/// `largestSzx`, whichever is smaller. Block 0 carries Size2; a response cut in blocks gets
/// an ETag (when it had none) so the client notices when the representation changes under it.
///
/// For a large notification, pass the relation's registering request and the notification:
/// block 0 goes out with Observe, and later blocks are served to the client's plain GETs
/// without it (§2.6). Kept responses are keyed by peer, method, Uri-Path, Uri-Query and
/// Accept, expire `lifetime` after last use, and at most `maximumEntries` are kept (the
/// least recently used goes first).
public struct Block2Sender: Sendable {
    public struct Configuration: Hashable, Sendable {
        public var largestSzx: UInt8 = BlockOption.largestSzx
        /// RFC 7252's EXCHANGE_LIFETIME, 247 s.
        public var lifetime: Int64 = 247_000
        public var maximumEntries: Int = 16
        public var addsETag: Bool = true
        public init() {}
    }

    struct Key: Hashable, Sendable {
        var peer: PeerAddress
        var method: Code
        var path: [String]
        var query: [String]
        var accept: UInt32?

        init(_ request: Message, _ peer: PeerAddress) {
            self.peer = peer
            method = request.code
            path = request.uriPath
            query = request.uriQuery
            accept = request.accept
        }
    }

    struct Entry: Sendable {
        var response: Message
        var lastUsed: Instant
    }

    public let configuration: Configuration
    private(set) var entries: [Key: Entry] = [:]

    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    public var count: Int { entries.count }

    /// Answers `request` from the full `response`: unchanged when it fits one block and the
    /// client did not ask for blocks, else the block asked for (block 0 if none), keeping the
    /// full response for the blocks to come. The header (type, id, token) is `response`'s.
    public mutating func respond(to request: Message, from peer: PeerAddress, with response: Message,
                                 now: Instant) -> Message {
        if request.first(.block2) != nil && request.block2 == nil {
            return Self.badOption(answering: response, "malformed Block2")
        }
        let asked = request.block2
        let szx = min(asked?.szx ?? configuration.largestSzx, configuration.largestSzx)
        let size = 16 << Int(szx)
        guard asked != nil || response.payload.count > size else { return response }
        var full = response
        if response.payload.count > size {
            if configuration.addsETag && full.eTag == nil { full.eTag = Self.tag(of: full) }
            keep(full, for: Key(request, peer), now: now)
        }
        return Self.cut(full, block: asked ?? BlockOption(number: 0, more: false, szx: szx), szx: szx)
    }

    /// The block `request` asks for from a response kept earlier, answered as a piggy-backed
    /// response to it (ACK to a CON, NON to a NON; the exchange machine may re-stamp the
    /// header). Nil when the request has no Block2 or nothing is kept for it.
    public mutating func cachedResponse(to request: Message, from peer: PeerAddress, now: Instant) -> Message? {
        guard let asked = request.block2 else { return nil }
        let key = Key(request, peer)
        guard var entry = entries[key], now - entry.lastUsed < configuration.lifetime else {
            entries[key] = nil
            return nil
        }
        entry.lastUsed = now
        entries[key] = entry
        var answer = entry.response
        answer.type = request.type == .confirmable ? .acknowledgement : .nonConfirmable
        answer.messageID = request.messageID
        answer.token = request.token
        answer.observe = nil
        return Self.cut(answer, block: asked, szx: min(asked.szx, configuration.largestSzx))
    }

    /// Drops kept responses unused for `lifetime`.
    public mutating func expire(now: Instant) {
        entries = entries.filter { now - $0.value.lastUsed < configuration.lifetime }
    }

    /// When the oldest kept response expires.
    public var nextDeadline: Instant? {
        var oldest: Instant?
        for e in entries.values { oldest = Instant.earliest(oldest, e.lastUsed) }
        return oldest.map { $0 + configuration.lifetime }
    }

    private mutating func keep(_ response: Message, for key: Key, now: Instant) {
        if entries[key] == nil && entries.count >= max(1, configuration.maximumEntries),
           let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            entries[oldest] = nil
        }
        entries[key] = Entry(response: response, lastUsed: now)
    }

    /// The block of `full` at the offset `block` names, at exponent `szx` (≤ block.szx).
    /// Size2 only on block 0; Observe only on block 0 (later blocks answer plain GETs).
    static func cut(_ full: Message, block asked: BlockOption, szx: UInt8) -> Message {
        let wanted = asked.rescaled(toSzx: szx)
        guard let (option, bytes) = BlockOption.block(wanted.number, szx: wanted.szx, of: full.payload) else {
            return badOption(answering: full, "block \(asked.number) beyond the end")
        }
        var m = full
        m.payload = Array(bytes)
        m.block2 = option
        if option.number == 0 {
            m.size2 = UInt32(full.payload.count)
        } else {
            m.size2 = nil
            m.observe = nil
        }
        return m
    }

    /// RFC 7959 leaves the code for an unusable Block2 request open; 4.02 Bad Option says
    /// the option was understood but cannot be served.
    static func badOption(answering response: Message, _ why: String) -> Message {
        Message(type: response.type, code: .badOption, messageID: response.messageID,
                token: response.token, payload: Array(why.utf8))
    }

    /// A 4-byte ETag from the payload and content format (FNV-1a): equal representations get
    /// equal tags, so a client can tell a changed one.
    static func tag(of message: Message) -> [UInt8] {
        var h: UInt32 = 2_166_136_261
        for b in message.payload { h = (h ^ UInt32(b)) &* 16_777_619 }
        for b in (message.contentFormat ?? 0xFFFF_FFFF).bigEndianBytes { h = (h ^ UInt32(b)) &* 16_777_619 }
        return h.bigEndianBytes
    }
}

extension UInt32 {
    fileprivate var bigEndianBytes: [UInt8] { [UInt8(self >> 24), UInt8((self >> 16) & 0xFF), UInt8((self >> 8) & 0xFF), UInt8(self & 0xFF)] }
}
