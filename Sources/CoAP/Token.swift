/// A CoAP token, 0 to 8 bytes, stored inline so matching and hashing never allocate.
public struct Token: Hashable, Sendable, CustomStringConvertible {
    /// Big-endian packed bytes in the low `count` bytes.
    public private(set) var packed: UInt64
    public private(set) var count: UInt8

    public static let empty = Token(packed: 0, count: 0)

    public init(packed: UInt64, count: UInt8) {
        precondition(count <= 8)
        self.count = count
        self.packed = count == 8 ? packed : packed & ((1 << (UInt64(count) * 8)) - 1)
    }

    /// Returns nil when `bytes` holds more than 8 bytes.
    public init?<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard bytes.count <= 8 else { return nil }
        var v: UInt64 = 0
        for b in bytes { v = (v << 8) | UInt64(b) }
        self.packed = v
        self.count = UInt8(bytes.count)
    }

    public var bytes: [UInt8] {
        (0..<Int(count)).map { UInt8(truncatingIfNeeded: packed >> (UInt64(Int(count) - 1 - $0) * 8)) }
    }

    public var description: String {
        count == 0 ? "-" : bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
