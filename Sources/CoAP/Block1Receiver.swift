/// The server side of Block1 transfers (RFC 7959 §2.5): collects request bodies that arrive
/// in blocks, per peer and resource, and hands the whole request on at the last block.
///
/// Answers it produces itself: 2.31 Continue with Block1 for each intermediate block (naming
/// `largestSzx` when the client's blocks are bigger), 4.08 Request Entity Incomplete for a
/// block that does not continue the body received so far, 4.13 Request Entity Too Large
/// with Size1 when the body would exceed `maximumBodySize`, 4.00 for a malformed block. A
/// repeat of the block just taken is answered 2.31 again without changing anything.
///
/// Transfers are keyed by peer, method, Uri-Path and Uri-Query (not token: clients may use a
/// new token per block). Memory is bounded: at most `maximumTransfers` bodies under
/// `maximumBodySize` each, the least recently used dropped first, and a transfer with no
/// block for `lifetime` is dropped by `expire(now:)`.
public struct Block1Receiver: Sendable {
    public struct Configuration: Hashable, Sendable {
        public var maximumBodySize: Int = 64 * 1024
        public var largestSzx: UInt8 = BlockOption.largestSzx
        /// RFC 7252's EXCHANGE_LIFETIME, 247 s.
        public var lifetime: Int64 = 247_000
        public var maximumTransfers: Int = 8
        public init() {}
    }

    struct Key: Hashable, Sendable {
        var peer: PeerAddress
        var method: Code
        var path: [String]
        var query: [String]

        init(_ request: Message, _ peer: PeerAddress) {
            self.peer = peer
            method = request.code
            path = request.uriPath
            query = request.uriQuery
        }
    }

    struct Transfer: Sendable {
        var body: [UInt8]
        var lastBlock: BlockOption
        var lastUsed: Instant
    }

    public let configuration: Configuration
    private(set) var transfers: [Key: Transfer] = [:]

    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Transfers in progress.
    public var count: Int { transfers.count }

    public mutating func receive(_ request: Message, from peer: PeerAddress, now: Instant) -> Block1Outcome {
        let limit = configuration.maximumBodySize
        guard let block = request.block1 else {
            if request.first(.block1) != nil { return .answer(reply(request, .badRequest, text: "malformed Block1")) }
            if request.payload.count > limit { return .answer(tooLarge(request)) }
            return .deliver(request, block1: nil)
        }
        let key = Key(request, peer)
        let payload = request.payload
        guard block.fits(payloadLength: payload.count) else {
            return .answer(reply(request, .badRequest, text: "block \(block) carries \(payload.count) bytes"))
        }
        var transfer: Transfer
        if block.number == 0 {
            // Block 0 always starts afresh, replacing any earlier attempt.
            transfers[key] = nil
            if let announced = request.size1, Int(announced) > limit { return .answer(tooLarge(request)) }
            transfer = Transfer(body: [], lastBlock: block, lastUsed: now)
        } else {
            guard let existing = transfers[key] else {
                return .answer(reply(request, .requestEntityIncomplete, text: "no transfer in progress"))
            }
            transfer = existing
            if block == transfer.lastBlock, transfer.lastBlock.more,
               transfer.body.suffix(payload.count).elementsEqual(payload) {
                transfers[key]?.lastUsed = now
                return .answer(continueReply(request, block))
            }
            guard block.offset == transfer.body.count else {
                return .answer(reply(request, .requestEntityIncomplete,
                                     text: "expected offset \(transfer.body.count), got block \(block)"))
            }
        }
        guard transfer.body.count + payload.count <= limit else {
            transfers[key] = nil
            return .answer(tooLarge(request))
        }
        transfer.body.append(contentsOf: payload)
        transfer.lastBlock = block
        transfer.lastUsed = now
        guard block.more else {
            transfers[key] = nil
            var whole = request
            whole.payload = transfer.body
            whole.block1 = nil
            whole.size1 = nil
            return .deliver(whole, block1: block)
        }
        store(transfer, for: key)
        return .answer(continueReply(request, block))
    }

    /// Drops transfers that saw no block for `lifetime`.
    public mutating func expire(now: Instant) {
        transfers = transfers.filter { now - $0.value.lastUsed < configuration.lifetime }
    }

    /// When the oldest idle transfer expires.
    public var nextDeadline: Instant? {
        var oldest: Instant?
        for t in transfers.values { oldest = Instant.earliest(oldest, t.lastUsed) }
        return oldest.map { $0 + configuration.lifetime }
    }

    private mutating func store(_ transfer: Transfer, for key: Key) {
        if transfers[key] == nil && transfers.count >= max(1, configuration.maximumTransfers),
           let oldest = transfers.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            transfers[oldest] = nil
        }
        transfers[key] = transfer
    }

    /// 2.31 naming the block taken and the size wanted from now on.
    private func continueReply(_ request: Message, _ block: BlockOption) -> Message {
        var m = reply(request, .continue)
        m.block1 = BlockOption(number: block.number, more: true, szx: min(block.szx, configuration.largestSzx))
        return m
    }

    private func tooLarge(_ request: Message) -> Message {
        var m = reply(request, .requestEntityTooLarge)
        m.size1 = UInt32(clamping: configuration.maximumBodySize)
        return m
    }

    /// A piggy-backed answer to `request` (the exchange machine may re-stamp the header).
    private func reply(_ request: Message, _ code: Code, text: String = "") -> Message {
        Message(type: request.type == .confirmable ? .acknowledgement : .nonConfirmable, code: code,
                messageID: request.messageID, token: request.token, payload: Array(text.utf8))
    }
}

/// What to do with a request after `Block1Receiver` saw it.
public enum Block1Outcome: Hashable, Sendable {
    /// Hand this request to the resource: its body is whole, Block1 and Size1 removed. When
    /// `block1` is set the body came in blocks, and the final response must carry it as its
    /// Block1 option (`response.block1 = block1`).
    case deliver(Message, block1: BlockOption?)
    /// Send this response and deliver nothing (2.31 Continue, 4.00, 4.08 or 4.13).
    case answer(Message)
}
