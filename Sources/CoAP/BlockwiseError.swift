/// Why a block-wise transfer cannot go on. The transfer is over; the caller reports it and
/// may start again from block 0.
public enum BlockwiseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A block that does not start where the body received so far ends.
    case outOfOrder(expectedOffset: Int, received: BlockOption)
    /// A block with M set that is not exactly the block size, or a last block longer than it.
    case wrongBlockLength(BlockOption, length: Int)
    /// The ETag or Content-Format changed between blocks: the representation is not the same.
    case representationChanged
    /// The body would exceed the configured limit (or the peer's announced size does).
    case bodyTooLarge(limit: Int)
    /// A Block option that does not decode (over 3 bytes, or the reserved exponent 7).
    case malformedBlockOption
    /// The peer stopped sending a Block option in the middle of a transfer.
    case missingBlockOption
    /// An answer this transfer cannot use, such as an error code or 2.31 on the last block.
    case unexpectedResponse(Code)
    /// The transfer already delivered its body.
    case alreadyComplete

    public var description: String {
        switch self {
        case .outOfOrder(let offset, let b): "block \(b) out of order, expected offset \(offset)"
        case .wrongBlockLength(let b, let n): "block \(b) carries \(n) bytes"
        case .representationChanged: "representation changed during the transfer"
        case .bodyTooLarge(let limit): "body over \(limit) bytes"
        case .malformedBlockOption: "malformed Block option"
        case .missingBlockOption: "Block option missing mid-transfer"
        case .unexpectedResponse(let code): "unexpected response \(code)"
        case .alreadyComplete: "transfer already complete"
        }
    }
}
