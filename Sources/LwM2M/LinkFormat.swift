/// application/link-format (content format 40, RFC 6690): the registration payload and the
/// Discover answer.
public enum LinkFormat {
    /// `</1/0>,</3/0>;ver=1.1`
    public static func encode(_ links: [Link]) -> String {
        links.map(\.description).joined(separator: ",")
    }

    public static func encodeBytes(_ links: [Link]) -> [UInt8] { Array(encode(links).utf8) }

    public static func decode(_ bytes: [UInt8]) throws(ContentError) -> [Link] {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw .malformed("link-format is not UTF-8")
        }
        return try decode(s)
    }

    /// Parses a link-format document. Whitespace between links and attributes is tolerated
    /// (some servers add it); commas and semicolons inside quoted values do not split.
    /// An empty document is no links.
    public static func decode(_ text: String) throws(ContentError) -> [Link] {
        var scanner = Scanner(Array(text.unicodeScalars))
        var links: [Link] = []
        scanner.skipSpaces()
        if scanner.atEnd { return [] }
        while true {
            scanner.skipSpaces()
            guard scanner.take("<") else { throw .malformed("link must start with '<' at \(scanner.index)") }
            guard let target = scanner.takeUntil(">"), scanner.take(">") else {
                throw .malformed("unterminated '<' in link")
            }
            var attrs: [Link.Attribute] = []
            scanner.skipSpaces()
            while scanner.take(";") {
                scanner.skipSpaces()
                let name = scanner.takeWhile { !"=;, \"<>".unicodeScalars.contains($0) }
                guard !name.isEmpty else { throw .malformed("empty attribute name in <\(target)>") }
                scanner.skipSpaces()
                if scanner.take("=") {
                    scanner.skipSpaces()
                    if scanner.take("\"") {
                        var value = ""
                        var closed = false
                        while let c = scanner.next() {
                            if c == "\\" {
                                guard let esc = scanner.next() else { break }
                                value.unicodeScalars.append(esc)
                            } else if c == "\"" {
                                closed = true
                                break
                            } else {
                                value.unicodeScalars.append(c)
                            }
                        }
                        guard closed else { throw .malformed("unterminated quoted value for \(name)") }
                        attrs.append(.init(name, value, quoted: true))
                    } else {
                        let value = scanner.takeWhile { !";, \"<>".unicodeScalars.contains($0) }
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
            guard scanner.take(",") else { throw .malformed("expected ',' or end after <\(target)>") }
        }
    }

    private struct Scanner {
        let chars: [Unicode.Scalar]
        var index = 0
        init(_ chars: [Unicode.Scalar]) { self.chars = chars }
        var atEnd: Bool { index >= chars.count }
        mutating func next() -> Unicode.Scalar? {
            guard index < chars.count else { return nil }
            defer { index += 1 }
            return chars[index]
        }
        mutating func take(_ c: Unicode.Scalar) -> Bool {
            guard index < chars.count, chars[index] == c else { return false }
            index += 1
            return true
        }
        mutating func skipSpaces() {
            while index < chars.count, chars[index] == " " || chars[index] == "\t" || chars[index] == "\r"
                    || chars[index] == "\n" { index += 1 }
        }
        mutating func takeWhile(_ p: (Unicode.Scalar) -> Bool) -> String {
            var s = String.UnicodeScalarView()
            while index < chars.count, p(chars[index]) { s.append(chars[index]); index += 1 }
            return String(s)
        }
        /// The text up to (not including) `c`, or nil when `c` never comes.
        mutating func takeUntil(_ c: Unicode.Scalar) -> String? {
            guard let end = chars[index...].firstIndex(of: c) else { return nil }
            defer { index = end }
            return String(String.UnicodeScalarView(chars[index..<end]))
        }
    }
}
