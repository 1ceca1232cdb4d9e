/// Cutting a body into the blocks a Block1 or Block2 option names (RFC 7959 §2.2), and the
/// arithmetic both ends of a transfer share.
extension BlockOption {
    /// NUM is at most 20 bits: the option value is at most 3 bytes.
    public static let largestNumber: UInt32 = (1 << 20) - 1
    /// 1024 bytes; 7 is reserved for BERT and never used over UDP.
    public static let largestSzx: UInt8 = 6

    /// How many blocks of `16 << szx` bytes a body of `length` bytes needs (an empty body is
    /// still one, empty, block).
    public static func blockCount(bodyLength length: Int, szx: UInt8) -> Int {
        let size = 16 << Int(szx)
        return max(1, (length + size - 1) / size)
    }

    /// Block `number` of `body` at exponent `szx`: the option that describes it (M set when
    /// bytes follow) and its bytes. Nil when the block starts past the end; block 0 of an
    /// empty body is the empty block.
    public static func block(_ number: UInt32, szx: UInt8, of body: [UInt8]) -> (option: BlockOption, bytes: ArraySlice<UInt8>)? {
        guard szx <= largestSzx, number <= largestNumber else { return nil }
        let size = 16 << Int(szx)
        let start = Int(number) * size
        guard start < body.count || (start == 0 && body.isEmpty) else { return nil }
        let end = min(start + size, body.count)
        return (BlockOption(number: number, more: end < body.count, szx: szx), body[start..<end])
    }

    /// The same block re-expressed at a smaller exponent: RFC 7959 §2.3 lets a server answer
    /// a request for block N of size S with the block at the same offset of size S' < S,
    /// which is block N·S/S'. At an equal or larger exponent it is `self` unchanged.
    public func rescaled(toSzx smaller: UInt8) -> BlockOption {
        guard smaller < szx else { return self }
        return BlockOption(number: number << UInt32(szx - smaller), more: more, szx: smaller)
    }

    /// Whether a block carrying `length` payload bytes is the right length for this option:
    /// exactly the block size when M is set, at most that when it is the last block.
    public func fits(payloadLength length: Int) -> Bool {
        more ? length == size : length <= size
    }
}
