/// The client side of a Block1 transfer (RFC 7959 §2.5): sends a large request body (POST,
/// PUT, FETCH) one block at a time, moving on at each 2.31 Continue.
///
/// A body that fits one block goes out whole, without Block1. Block 0 carries Size1 (the
/// whole body's length). When the server's 2.31 names a smaller exponent, later blocks use
/// it, numbered from the bytes already sent (1:0/1/128 answered by 1:0/1/32 continues with
/// 1:4/1/32, RFC 7959 §3.3). A 4.13 carrying a smaller Block1 exponent restarts the current
/// block at that size. Message ids are left 0 for the exchange machine.
public struct Block1Upload: Sendable {
    /// The whole request; every block copies its token and options.
    public let request: Message
    public private(set) var szx: UInt8
    /// Bytes the server has acknowledged with 2.31.
    public private(set) var acknowledged = 0
    /// The block in flight, nil when the body went (or goes) out unblocked.
    public private(set) var inFlight: BlockOption?
    public private(set) var isComplete = false

    public init(request: Message, szx: UInt8 = BlockOption.largestSzx) {
        self.request = request
        self.szx = min(szx, BlockOption.largestSzx)
        if request.payload.count > 16 << Int(self.szx) {
            inFlight = BlockOption.block(0, szx: self.szx, of: request.payload)?.option
        }
    }

    /// The request to send first.
    public var firstRequest: Message {
        guard let block = inFlight else { var r = request; r.messageID = 0; return r }
        return message(for: block)
    }

    public mutating func receive(_ response: Message) -> Block1Step {
        guard !isComplete else { return .failed(.alreadyComplete) }
        if response.code == .requestEntityTooLarge, let preferred = response.block1,
           preferred.szx < (inFlight?.szx ?? szx + 1), acknowledged % (16 << Int(preferred.szx)) == 0,
           let next = BlockOption.block(UInt32(acknowledged / (16 << Int(preferred.szx))), szx: preferred.szx,
                                        of: request.payload)?.option {
            // The server wants smaller blocks (§2.3): resend from the same offset at its size.
            szx = preferred.szx
            inFlight = next
            return .request(message(for: next))
        }
        guard let sent = inFlight else { return finish(response) }
        guard response.code == .continue else {
            if response.code.isSuccess && sent.more {
                // A final answer to a block that was not the last: the server did not take
                // the body block-wise and acted on a fragment.
                isComplete = true
                return .failed(.unexpectedResponse(response.code))
            }
            if response.code.isSuccess, let echoed = response.block1, echoed.number != sent.number {
                return .failed(.outOfOrder(expectedOffset: sent.offset, received: echoed))
            }
            return finish(response)
        }
        guard sent.more else { return .failed(.unexpectedResponse(response.code)) }
        guard let echoed = response.block1 else {
            return .failed(response.first(.block1) == nil ? .missingBlockOption : .malformedBlockOption)
        }
        guard echoed.number == sent.number else {
            return .failed(.outOfOrder(expectedOffset: sent.offset, received: echoed))
        }
        acknowledged = sent.offset + sent.size
        if echoed.szx < szx { szx = echoed.szx }
        // Sizes only shrink and are powers of two, so the acknowledged length is a whole
        // number of new blocks.
        guard let next = BlockOption.block(UInt32(acknowledged / (16 << Int(szx))), szx: szx, of: request.payload)?.option else {
            return .failed(.unexpectedResponse(response.code))
        }
        inFlight = next
        return .request(message(for: next))
    }

    private mutating func finish(_ response: Message) -> Block1Step {
        isComplete = true
        return .complete(response)
    }

    private func message(for block: BlockOption) -> Message {
        var r = request
        r.messageID = 0
        let start = block.offset
        let end = min(start + block.size, request.payload.count)
        r.payload = Array(request.payload[start..<end])
        r.block1 = block
        r.size1 = block.number == 0 ? UInt32(request.payload.count) : nil
        return r
    }
}

/// What to do after a response to a Block1 request.
public enum Block1Step: Hashable, Sendable {
    /// Send this request carrying the next block.
    case request(Message)
    /// The server's final answer to the whole request, success or error (it may carry Block2
    /// when the response body is large as well).
    case complete(Message)
    case failed(BlockwiseError)
}
