/// A CoAP message as a value (RFC 7252 §3). Options are kept sorted by number, repeated options
/// in the order they were added; `encoded()` and `init(decoding:)` are in `Message+Codec.swift`.
///
/// Storage: the options are held in their wire format (RFC 7252 §3.1), which is canonical for a
/// sorted option list, so equality and hashing stay those of the option list while decoding
/// shares the datagram's buffer and encoding is one copy. `options` and the typed accessors
/// read that format on demand; only `options` itself builds an array.
public struct Message: Hashable, Sendable {
    public var type: MessageType
    public var code: Code
    public var messageID: UInt16
    public var token: Token
    /// Everything after the token as it goes on the wire: the options, then the payload marker
    /// and the payload when there is one. One buffer, so a decoded message shares the datagram's.
    var tail: ArraySlice<UInt8>
    /// How many bytes of `tail` are options.
    var optionsCount: Int

    public init(type: MessageType, code: Code, messageID: UInt16 = 0, token: Token = .empty,
                options: [Option] = [], payload: [UInt8] = []) {
        self.type = type
        self.code = code
        self.messageID = messageID
        self.token = token
        self.tail = []
        self.optionsCount = 0
        for o in options { add(o) }
        self.payload = payload
    }

    /// For the decoder: a tail already checked to be well formed.
    init(type: MessageType, code: Code, messageID: UInt16, token: Token,
         tail: ArraySlice<UInt8>, optionsCount: Int) {
        self.type = type
        self.code = code
        self.messageID = messageID
        self.token = token
        self.tail = tail
        self.optionsCount = optionsCount
    }

    var optionBytes: ArraySlice<UInt8> { tail.prefix(optionsCount) }
    var payloadBytes: ArraySlice<UInt8> { tail.dropFirst(optionsCount + 1) }

    public var payload: [UInt8] {
        get { Array(payloadBytes) }
        set {
            tail.removeLast(tail.count - optionsCount)
            if !newValue.isEmpty {
                tail.append(0xFF)
                tail.append(contentsOf: newValue)
            }
        }
    }

    public var options: [Option] {
        var result: [Option] = []
        forEachOption { number, range in
            result.append(Option(OptionNumber(number), Array(tail[range])))
            return true
        }
        return result
    }

    /// Inserts after any options with the same or a lower number, keeping the order stable.
    /// A value longer than 65,804 bytes cannot be encoded (RFC 7252 §3.1) and is a programming error.
    public mutating func add(_ option: Option) {
        precondition(option.value.count <= Self.maxOptionLength, "CoAP option value over 65804 bytes")
        let last = lastOptionNumber
        if last.map({ $0 <= option.number.rawValue }) ?? true {
            appendOption(option, after: last ?? 0)
        } else {
            var list = options
            var i = list.endIndex
            while i > list.startIndex && list[i - 1].number > option.number { i -= 1 }
            list.insert(option, at: i)
            reencode(list)
        }
    }

    public mutating func removeAll(_ number: OptionNumber) {
        guard contains(number) else { return }
        reencode(options.filter { $0.number != number })
    }

    /// Replaces every option with this number by `values`, in order.
    public mutating func set(_ number: OptionNumber, _ values: [[UInt8]]) {
        removeAll(number)
        for v in values { add(Option(number, v)) }
    }

    public func first(_ number: OptionNumber) -> Option? {
        var found: Option?
        forEachOption { n, range in
            if n == number.rawValue { found = Option(number, Array(tail[range])); return false }
            return n < number.rawValue
        }
        return found
    }

    public func all(_ number: OptionNumber) -> [Option] {
        var found: [Option] = []
        forEachOption { n, range in
            if n == number.rawValue { found.append(Option(number, Array(tail[range]))) }
            return n <= number.rawValue
        }
        return found
    }

    public func contains(_ number: OptionNumber) -> Bool {
        var found = false
        forEachOption { n, _ in
            if n == number.rawValue { found = true }
            return n < number.rawValue
        }
        return found
    }

    // MARK: typed accessors for the options LwM2M uses

    public var uriPath: [String] {
        get { strings(.uriPath) }
        set { set(.uriPath, newValue.map { Array($0.utf8) }) }
    }
    public var uriQuery: [String] {
        get { strings(.uriQuery) }
        set { set(.uriQuery, newValue.map { Array($0.utf8) }) }
    }
    public var locationPath: [String] {
        get { strings(.locationPath) }
        set { set(.locationPath, newValue.map { Array($0.utf8) }) }
    }
    public var uriHost: String? {
        get { first(.uriHost)?.stringValue }
        set { set(.uriHost, newValue.map { [Array($0.utf8)] } ?? []) }
    }
    public var uriPort: UInt32? { get { uint(.uriPort) } set { setUInt(.uriPort, newValue) } }
    public var contentFormat: UInt32? { get { uint(.contentFormat) } set { setUInt(.contentFormat, newValue) } }
    public var accept: UInt32? { get { uint(.accept) } set { setUInt(.accept, newValue) } }
    public var observe: UInt32? { get { uint(.observe) } set { setUInt(.observe, newValue) } }
    public var maxAge: UInt32? { get { uint(.maxAge) } set { setUInt(.maxAge, newValue) } }
    public var size1: UInt32? { get { uint(.size1) } set { setUInt(.size1, newValue) } }
    public var size2: UInt32? { get { uint(.size2) } set { setUInt(.size2, newValue) } }
    public var eTag: [UInt8]? {
        get { first(.eTag)?.value }
        set { set(.eTag, newValue.map { [$0] } ?? []) }
    }
    public var block1: BlockOption? {
        get { uint(.block1).flatMap(BlockOption.init(uintValue:)) }
        set { setUInt(.block1, newValue?.uintValue) }
    }
    public var block2: BlockOption? {
        get { uint(.block2).flatMap(BlockOption.init(uintValue:)) }
        set { setUInt(.block2, newValue?.uintValue) }
    }

    /// `/a/b/c` from the Uri-Path options.
    public var path: String { "/" + uriPath.joined(separator: "/") }

    /// The first option with this number read as a uint, without building an `Option`.
    private func uint(_ number: OptionNumber) -> UInt32? {
        var result: UInt32?
        forEachOption { n, range in
            if n == number.rawValue {
                if range.count <= 4 { result = tail[range].reduce(0) { ($0 << 8) | UInt32($1) } }
                return false
            }
            return n < number.rawValue
        }
        return result
    }

    private func strings(_ number: OptionNumber) -> [String] {
        var found: [String] = []
        forEachOption { n, range in
            if n == number.rawValue { found.append(String(decoding: tail[range], as: UTF8.self)) }
            return n <= number.rawValue
        }
        return found
    }

    private mutating func setUInt(_ n: OptionNumber, _ v: UInt32?) {
        removeAll(n)
        if let v { add(Option(n, uint: v)) }
    }
}

extension Message: CustomStringConvertible {
    public var description: String {
        let t = ["CON", "NON", "ACK", "RST"][Int(type.rawValue)]
        var s = "\(t) \(code) mid=\(messageID) tok=\(token)"
        for o in options {
            switch o.number {
            case .uriPath, .uriQuery, .locationPath, .uriHost, .locationQuery, .proxyUri, .proxyScheme:
                s += " \(o.number)=\(o.stringValue)"
            default:
                s += " \(o.number)=\(o.uintValue.map(String.init) ?? o.value.map { String($0, radix: 16) }.joined())"
            }
        }
        if !payloadBytes.isEmpty { s += " payload=\(payloadBytes.count)B" }
        return s
    }
}
