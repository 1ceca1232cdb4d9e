/// The client side of a Block2 transfer (RFC 7959 §2.4): reassembles a response body from
/// successive responses and hands back the next GET to send until the block with M=0.
///
/// Every follow-up request is the original request with its message id cleared (the
/// exchange machine assigns one), its Observe option removed (§2.6: later blocks of a
/// notification are fetched by plain GETs) and Block2 set to the next block, at the size the
/// server actually used. Blocks must arrive in order and be consistent: same ETag, same
/// Content-Format, full size while M is set. A repeat of a block already taken is reported
/// as `.duplicate` and changes nothing.
public struct Block2Download: Sendable {
    /// The request the transfer started with; follow-ups copy its token and options.
    public let request: Message
    public let preferredSzx: UInt8?
    public let maximumBodySize: Int
    public private(set) var body: [UInt8] = []
    /// The first block's response: its options (ETag, Content-Format, Observe) describe the whole.
    public private(set) var firstResponse: Message?
    public private(set) var isComplete = false

    /// `preferredSzx` asks the server for smaller blocks from the first request on (early
    /// negotiation, §2.4); the server may still choose smaller ones.
    public init(request: Message, preferredSzx: UInt8? = nil, maximumBodySize: Int = 1 << 20) {
        self.request = request
        self.preferredSzx = preferredSzx.map { min($0, BlockOption.largestSzx) }
        self.maximumBodySize = maximumBodySize
    }

    /// The request to send first: the original, with Block2 0/0/preferred size when a
    /// preference was given. A notification that already carried block 0 needs no first
    /// request: feed it to `receive(_:)` directly.
    public var firstRequest: Message {
        var r = request
        if let szx = preferredSzx { r.block2 = BlockOption(number: 0, more: false, szx: szx) }
        return r
    }

    public mutating func receive(_ response: Message) -> Block2Step {
        guard !isComplete else { return .failed(.alreadyComplete) }
        guard response.code.isSuccess else {
            // An error before any block is simply the answer; mid-transfer it breaks the transfer.
            if firstResponse == nil { isComplete = true; return .complete(response) }
            return .failed(.unexpectedResponse(response.code))
        }
        guard let block = response.block2 else {
            if response.first(.block2) != nil { return .failed(.malformedBlockOption) }
            if firstResponse == nil { isComplete = true; return .complete(response) }
            return .failed(.missingBlockOption)
        }
        let payload = response.payload
        let offset = block.offset
        if offset < body.count {
            let end = offset + payload.count
            if end <= body.count && body[offset..<end].elementsEqual(payload) && firstResponse.map({ Self.sameRepresentation($0, response) }) ?? false {
                return .duplicate
            }
            return .failed(.outOfOrder(expectedOffset: body.count, received: block))
        }
        guard offset == body.count else {
            return .failed(.outOfOrder(expectedOffset: body.count, received: block))
        }
        guard block.fits(payloadLength: payload.count) else {
            return .failed(.wrongBlockLength(block, length: payload.count))
        }
        if let first = firstResponse, !Self.sameRepresentation(first, response) {
            return .failed(.representationChanged)
        }
        if let announced = response.size2, Int(announced) > maximumBodySize {
            return .failed(.bodyTooLarge(limit: maximumBodySize))
        }
        guard body.count + payload.count <= maximumBodySize else {
            return .failed(.bodyTooLarge(limit: maximumBodySize))
        }
        body.append(contentsOf: payload)
        if firstResponse == nil { firstResponse = response }
        guard block.more else {
            isComplete = true
            var whole = firstResponse ?? response
            whole.payload = body
            whole.block2 = nil
            whole.size2 = nil
            return .complete(whole)
        }
        // All blocks so far were full, so the body ends on a boundary of the current size.
        let nextNumber = body.count / block.size
        guard nextNumber <= Int(BlockOption.largestNumber) else { return .failed(.bodyTooLarge(limit: body.count)) }
        var next = request
        next.messageID = 0
        next.observe = nil
        next.block2 = BlockOption(number: UInt32(nextNumber), more: false, szx: block.szx)
        return .request(next)
    }

    private static func sameRepresentation(_ a: Message, _ b: Message) -> Bool {
        a.eTag == b.eTag && a.contentFormat == b.contentFormat
    }
}

/// What to do after a Block2 response.
public enum Block2Step: Hashable, Sendable {
    /// Send this request for the next block.
    case request(Message)
    /// The whole response: the first block's header and options, the reassembled payload,
    /// Block2 and Size2 removed.
    case complete(Message)
    /// A block already taken, with the same bytes: ignore it.
    case duplicate
    case failed(BlockwiseError)
}
