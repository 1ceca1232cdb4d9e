/// A CoAP message as a value (RFC 7252 §3). Options are kept sorted by number, repeated options
/// in the order they were added; `encoded()` and `init(decoding:)` are in `Message+Codec.swift`.
public struct Message: Hashable, Sendable {
    public var type: MessageType
    public var code: Code
    public var messageID: UInt16
    public var token: Token
    public private(set) var options: [Option]
    public var payload: [UInt8]

    public init(type: MessageType, code: Code, messageID: UInt16 = 0, token: Token = .empty,
                options: [Option] = [], payload: [UInt8] = []) {
        self.type = type
        self.code = code
        self.messageID = messageID
        self.token = token
        self.options = []
        self.payload = payload
        for o in options { add(o) }
    }

    /// Inserts after any options with the same or a lower number, keeping the order stable.
    public mutating func add(_ option: Option) {
        var i = options.endIndex
        while i > options.startIndex && options[i - 1].number > option.number { i -= 1 }
        options.insert(option, at: i)
    }

    /// For the decoder: options already in wire order.
    mutating func setDecodedOptions(_ decoded: [Option]) { options = decoded }

    public mutating func removeAll(_ number: OptionNumber) { options.removeAll { $0.number == number } }

    /// Replaces every option with this number by `values`, in order.
    public mutating func set(_ number: OptionNumber, _ values: [[UInt8]]) {
        removeAll(number)
        for v in values { add(Option(number, v)) }
    }

    public func first(_ number: OptionNumber) -> Option? { options.first { $0.number == number } }
    public func all(_ number: OptionNumber) -> [Option] { options.filter { $0.number == number } }

    // MARK: typed accessors for the options LwM2M uses

    public var uriPath: [String] {
        get { all(.uriPath).map(\.stringValue) }
        set { set(.uriPath, newValue.map { Array($0.utf8) }) }
    }
    public var uriQuery: [String] {
        get { all(.uriQuery).map(\.stringValue) }
        set { set(.uriQuery, newValue.map { Array($0.utf8) }) }
    }
    public var locationPath: [String] {
        get { all(.locationPath).map(\.stringValue) }
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

    private func uint(_ n: OptionNumber) -> UInt32? { first(n)?.uintValue }
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
        if !payload.isEmpty { s += " payload=\(payload.count)B" }
        return s
    }
}
