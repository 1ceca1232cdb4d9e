/// One CoAP option: its number and its raw value bytes (RFC 7252 §3.1).
public struct Option: Hashable, Sendable, CustomStringConvertible {
    public var number: OptionNumber
    public var value: [UInt8]

    public init(_ number: OptionNumber, _ value: [UInt8]) {
        self.number = number
        self.value = value
    }

    public init(_ number: OptionNumber, string: String) { self.init(number, Array(string.utf8)) }

    /// A uint option in its shortest form: zero is the empty value (RFC 7252 §3.2).
    public init(_ number: OptionNumber, uint: UInt32) {
        var bytes: [UInt8] = []
        var v = uint
        while v != 0 { bytes.insert(UInt8(v & 0xFF), at: 0); v >>= 8 }
        self.init(number, bytes)
    }

    public var stringValue: String { String(decoding: value, as: UTF8.self) }

    /// The value read as a uint, or nil when longer than 4 bytes.
    public var uintValue: UInt32? {
        guard value.count <= 4 else { return nil }
        return value.reduce(0) { ($0 << 8) | UInt32($1) }
    }

    public var description: String { "\(number)=\(stringValue)" }
}
