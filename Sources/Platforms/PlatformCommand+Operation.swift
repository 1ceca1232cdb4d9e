import LwM2M

extension PlatformCommand {
    /// Why a well-formed line still names no operation a client could take.
    public enum OperationError: Error, Hashable, Sendable, CustomStringConvertible {
        /// write and exec act on a resource (or resource instance), not an object or instance.
        case needsResource(command: String, path: String)
        case badHex(String)

        public var description: String {
            switch self {
            case .needsResource(let c, let p): "\(c): \(p) is not a resource; give a path like /19/1/0"
            case .badHex(let v): "'\(v)' is not hex bytes (0x followed by pairs of hex digits)"
            }
        }
    }

    /// The endpoint the command names (a name or a `list` number), nil for list/help/quit.
    public var endpoint: String? {
        switch self {
        case .read(let ep, _), .write(let ep, _, _), .exec(let ep, _, _), .observe(let ep, _),
             .cancel(let ep, _), .discover(let ep, _), .attributes(let ep, _, _): ep
        case .list, .help, .quit: nil
        }
    }

    /// The Device Management operation the command asks for; nil for list/help/quit.
    ///
    /// Values of `write`: `0x0102...` is bytes, written as opaque (42), or as TLV with resource
    /// instance 0 when `definitions` say the resource is multiple (/19/1/0), which is how a
    /// strict client takes them; anything else is text/plain, as Andlink writes its JSON (one
    /// pair of surrounding double quotes is taken off).
    public func operation(definitions: [UInt16: ObjectDefinition] = ObjectDefinition.standard)
        throws(OperationError) -> DeviceOperation? {
        switch self {
        case .list, .help, .quit:
            return nil
        case .read(_, let p):
            return .read(try Self.path(p))
        case .discover(_, let p):
            return .discover(try Self.path(p))
        case .observe(_, let p):
            return .observe(try Self.path(p))
        case .cancel(_, let p):
            return .cancelObservation(try Self.path(p))
        case .attributes(_, let p, let settings):
            return .writeAttributes(try Self.path(p), query: settings.map { s in s.value.map { "\(s.name)=\($0)" } ?? s.name })
        case .exec(_, let p, let arguments):
            let path = try Self.path(p)
            guard path.level == .resource else { throw .needsResource(command: "exec", path: p) }
            return .execute(path, arguments: arguments)
        case .write(_, let p, let value):
            let path = try Self.path(p)
            guard path.level >= .resource else { throw .needsResource(command: "write", path: p) }
            return .write(path, try Self.content(value, at: path, definitions: definitions))
        }
    }

    /// What `write` sends for `value` at `path` (see `operation(definitions:)`).
    public static func content(_ value: String, at path: LwM2MPath,
                               definitions: [UInt16: ObjectDefinition] = ObjectDefinition.standard)
        throws(OperationError) -> EncodedContent {
        if value.hasPrefix("0x") || value.hasPrefix("0X") {
            guard let bytes = hexBytes(value.dropFirst(2)) else { throw .badHex(value) }
            return binaryContent(bytes, at: path, definitions: definitions)
        }
        var text = Substring(value)
        if text.count >= 2, text.first == "\"", text.last == "\"" { text = text.dropFirst().dropLast() }
        return EncodedContent(format: .textPlain, bytes: Array(text.utf8))
    }

    /// Bytes for `path`: opaque, or TLV instance 0 of a resource defined as multiple.
    public static func binaryContent(_ bytes: [UInt8], at path: LwM2MPath,
                                     definitions: [UInt16: ObjectDefinition] = ObjectDefinition.standard) -> EncodedContent {
        let definition = path.objectID.flatMap { definitions[$0] }.flatMap { d in path.resourceID.flatMap { d[$0] } }
        if path.level == .resource, let rid = path.resourceID, definition?.multiple == true {
            return EncodedContent(format: .tlv, bytes: TLV.encode(.resource(.multiple(rid, [0: .opaque(bytes)]))))
        }
        return EncodedContent(format: .opaque, bytes: bytes)
    }

    static func path(_ text: String) throws(OperationError) -> LwM2MPath {
        // The parser admitted only paths `LwM2MPath` reads; a miss here is a parser bug, said plainly.
        guard let p = LwM2MPath(text) else { throw .needsResource(command: "path", path: text) }
        return p
    }

    static func hexBytes(_ digits: Substring) -> [UInt8]? {
        let chars = Array(digits.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
