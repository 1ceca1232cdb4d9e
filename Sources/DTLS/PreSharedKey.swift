/// A pre-shared key and the identity that names it. The key's bytes never appear in a
/// description, a log line or a failure: only the identity and the key's length do.
public struct PreSharedKey: Hashable, Sendable, CustomStringConvertible {
    public var identity: String
    public var key: [UInt8]

    public init(identity: String, key: [UInt8]) {
        self.identity = identity
        self.key = key
    }

    /// The key as the module takes `<PSK>` of AT+QLACONFIG and libcoap takes `-k`: the text's
    /// bytes, as typed.
    public init(identity: String, text: String) {
        self.init(identity: identity, key: Array(text.utf8))
    }

    /// `IDENTITY:KEY` as `--psk` takes it: split at the last colon (identities such as
    /// `urn:imei:...` contain colons; the platforms' keys do not). Nil when either side is empty.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let identity = String(text[..<colon])
        let key = String(text[text.index(after: colon)...])
        guard !identity.isEmpty, !key.isEmpty else { return nil }
        self.init(identity: identity, text: key)
    }

    public var description: String { "\(identity) (key of \(key.count) bytes)" }
}

/// The keys a DTLS server accepts, by identity, as a platform portal provisions them.
public struct PreSharedKeyStore: Hashable, Sendable, CustomStringConvertible {
    private var keys: [String: [UInt8]] = [:]

    public init(_ keys: [PreSharedKey] = []) {
        for k in keys { add(k) }
    }

    /// Adds `psk`, replacing any key under the same identity; returns whether anything changed.
    @discardableResult
    public mutating func add(_ psk: PreSharedKey) -> Bool {
        guard keys[psk.identity] != psk.key else { return false }
        keys[psk.identity] = psk.key
        return true
    }

    public mutating func remove(identity: String) { keys[identity] = nil }

    public func key(for identity: String) -> [UInt8]? { keys[identity] }

    public var identities: [String] { keys.keys.sorted() }
    public var isEmpty: Bool { keys.isEmpty }

    public var description: String { "PSK identities: " + (identities.isEmpty ? "none" : identities.joined(separator: ", ")) }
}
