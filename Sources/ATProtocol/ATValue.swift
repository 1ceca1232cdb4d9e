/// One parameter of a command line or one field of a response line, as written on the wire.
///
/// The syntax knows three shapes: a decimal integer, a double-quoted string (no escapes exist in
/// this module's syntax), and nothing at all (`,,`). Anything else unquoted (a float such as
/// `23.5`, the bare `U` of `+QLAURC: "binding_changed",U`, an integer too large for 64 bits) is a
/// ``token(_:)``; the catalogue decides whether a token is acceptable where it stands.
/// Hex payloads are quoted and stay strings.
public enum ATValue: Hashable, Sendable, CustomStringConvertible {
    case integer(Int64)
    /// The text between the quotes.
    case string(String)
    /// Unquoted text that is not a decimal integer.
    case token(String)
    /// An empty parameter.
    case empty

    /// The value as written in a line: integers in decimal, strings between double quotes,
    /// tokens as they are, empty as nothing.
    public var formatted: String {
        switch self {
        case .integer(let value): String(value)
        case .string(let text): "\"" + text + "\""
        case .token(let text): text
        case .empty: ""
        }
    }

    public var description: String { formatted }

    /// Appends ``formatted``'s bytes to `bytes`.
    public func appendFormatted(to bytes: inout [UInt8]) {
        switch self {
        case .integer(let value): bytes += String(value).utf8
        case .string(let text):
            bytes.append(UInt8(ascii: "\""))
            bytes += text.utf8
            bytes.append(UInt8(ascii: "\""))
        case .token(let text): bytes += text.utf8
        case .empty: break
        }
    }

    /// Names the shape, for error messages ("an integer", "a quoted string", ...).
    public var shapeDescription: String {
        switch self {
        case .integer(let value): "the integer \(value)"
        case .string(let text): "the quoted string \"\(text.count > 24 ? String(text.prefix(24)) + "..." : text)\""
        case .token(let text): "the unquoted text \(text.count > 24 ? String(text.prefix(24)) + "..." : text)"
        case .empty: "an empty parameter"
        }
    }

    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// Reads an unquoted field: a decimal integer with an optional sign, else a token.
    static func unquoted(_ text: Substring) -> ATValue {
        if text.isEmpty { return .empty }
        if let value = decimalInteger(text) { return .integer(value) }
        return .token(String(text))
    }

    /// `[+-]digits` fitting in Int64; nil otherwise (so `1.5`, `0x10`, `99999999999999999999`
    /// stay tokens).
    static func decimalInteger(_ text: Substring) -> Int64? {
        var digits = text[...]
        var negative = false
        if let first = digits.first, first == "+" || first == "-" {
            negative = first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var value: Int64 = 0
        for byte in digits.utf8 {
            let digit = Int64(byte - 0x30)
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
        }
        return value
    }
}
