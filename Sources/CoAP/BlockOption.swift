/// The value of a Block1 or Block2 option (RFC 7959 §2.2): block number, more flag, size exponent.
public struct BlockOption: Hashable, Sendable, CustomStringConvertible {
    public var number: UInt32
    public var more: Bool
    /// Size exponent: the block holds `16 << szx` bytes; 7 is reserved (BERT), never produced.
    public var szx: UInt8

    public init(number: UInt32, more: Bool, szx: UInt8) {
        self.number = number
        self.more = more
        self.szx = szx
    }

    public init(number: UInt32, more: Bool, size: Int) {
        self.init(number: number, more: more, szx: BlockOption.szx(forSize: size))
    }

    public var size: Int { 16 << Int(szx) }
    public var offset: Int { Int(number) * size }

    /// The largest valid exponent whose block size does not exceed `size` (16...1024).
    public static func szx(forSize size: Int) -> UInt8 {
        var e: UInt8 = 6
        while e > 0 && (16 << Int(e)) > size { e -= 1 }
        return e
    }

    public var uintValue: UInt32 { (number << 4) | (more ? 8 : 0) | UInt32(szx & 7) }

    /// Nil when the value is over 3 bytes or uses the reserved exponent 7.
    public init?(uintValue v: UInt32) {
        guard v <= 0xFF_FFFF, v & 7 != 7 else { return nil }
        self.init(number: v >> 4, more: v & 8 != 0, szx: UInt8(v & 7))
    }

    public var description: String { "\(number)/\(more ? 1 : 0)/\(size)" }
}
