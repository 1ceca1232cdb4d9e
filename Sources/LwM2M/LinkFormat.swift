/// application/link-format (content format 40, RFC 6690): the registration payload and the
/// Discover answer.
public enum LinkFormat {
    /// `</1/0>,</3/0>;ver=1.1`
    public static func encode(_ links: [Link]) -> String {
        links.map(\.description).joined(separator: ",")
    }

    public static func encodeBytes(_ links: [Link]) -> [UInt8] { Array(encode(links).utf8) }

    public static func decode(_ bytes: [UInt8]) throws(ContentError) -> [Link] {
        // Registration payloads are ASCII; only other text needs the full UTF-8 check.
        if !bytes.allSatisfy({ $0 < 0x80 }), String(validating: bytes, as: UTF8.self) == nil {
            throw .malformed("link-format is not UTF-8")
        }
        return try parse(bytes)
    }

    /// Parses a link-format document. Whitespace between links and attributes is tolerated
    /// (some servers add it); commas and semicolons inside quoted values do not split.
    /// An empty document is no links.
    public static func decode(_ text: String) throws(ContentError) -> [Link] {
        try parse(Array(text.utf8))
    }

    /// Scans valid UTF-8 byte by byte: every delimiter is ASCII, and ASCII bytes never occur
    /// inside a multi-byte sequence, so the pieces between delimiters are whole characters.
    private static func parse(_ bytes: [UInt8]) throws(ContentError) -> [Link] {
        var scanner = Scanner(bytes)
        var links: [Link] = []
        scanner.skipSpaces()
        if scanner.atEnd { return [] }
        while true {
            scanner.skipSpaces()
            guard scanner.take(UInt8(ascii: "<")) else { throw .malformed("link must start with '<' at \(scanner.index)") }
            guard let target = scanner.takeUntil(UInt8(ascii: ">")), scanner.take(UInt8(ascii: ">")) else {
                throw .malformed("unterminated '<' in link")
            }
            var attrs: [Link.Attribute] = []
            scanner.skipSpaces()
            while scanner.take(UInt8(ascii: ";")) {
                scanner.skipSpaces()
                let name = scanner.takeWhile { !Self.endsName($0) }
                guard !name.isEmpty else { throw .malformed("empty attribute name in <\(target)>") }
                scanner.skipSpaces()
                if scanner.take(UInt8(ascii: "=")) {
                    scanner.skipSpaces()
                    if scanner.take(UInt8(ascii: "\"")) {
                        var value: [UInt8] = []
                        var closed = false
                        while let c = scanner.next() {
                            if c == UInt8(ascii: "\\") {
                                guard let esc = scanner.next() else { break }
                                value.append(esc)
                            } else if c == UInt8(ascii: "\"") {
                                closed = true
                                break
                            } else {
                                value.append(c)
                            }
                        }
                        guard closed else { throw .malformed("unterminated quoted value for \(name)") }
                        attrs.append(.init(name, String(decoding: value, as: UTF8.self), quoted: true))
                    } else {
                        let value = scanner.takeWhile { !Self.endsValue($0) }
                        attrs.append(.init(name, value))
                    }
                } else {
                    attrs.append(.init(name))
                }
                scanner.skipSpaces()
            }
            links.append(Link(target, attributes: attrs))
            scanner.skipSpaces()
            if scanner.atEnd { return links }
            guard scanner.take(UInt8(ascii: ",")) else { throw .malformed("expected ',' or end after <\(target)>") }
        }
    }

    /// `;`, `,`, space, `"`, `<`, `>` end a token value; `=` also ends a name.
    private static func endsValue(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ";") || c == UInt8(ascii: ",") || c == UInt8(ascii: " ") || c == UInt8(ascii: "\"")
            || c == UInt8(ascii: "<") || c == UInt8(ascii: ">")
    }

    private static func endsName(_ c: UInt8) -> Bool { c == UInt8(ascii: "=") || endsValue(c) }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { index >= bytes.count }
        mutating func next() -> UInt8? {
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return bytes[index]
        }
        mutating func take(_ c: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == c else { return false }
            index += 1
            return true
        }
        mutating func skipSpaces() {
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")
                    || bytes[index] == UInt8(ascii: "\r") || bytes[index] == UInt8(ascii: "\n") { index += 1 }
        }
        mutating func takeWhile(_ p: (UInt8) -> Bool) -> String {
            let start = index
            while index < bytes.count, p(bytes[index]) { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        /// The text up to (not including) `c`, or nil when `c` never comes.
        mutating func takeUntil(_ c: UInt8) -> String? {
            guard let end = bytes[index...].firstIndex(of: c) else { return nil }
            defer { index = end }
            return String(decoding: bytes[index..<end], as: UTF8.self)
        }
    }
}
