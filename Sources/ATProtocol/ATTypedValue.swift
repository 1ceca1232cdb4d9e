/// `<value_type>` of the QLA data commands and of the `write` URC.
public enum ATValueType: Int64, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case string = 1
    case opaque = 2
    case integer = 3
    case float = 4
    case boolean = 5

    public var description: String {
        switch self {
        case .string: "string"
        case .opaque: "opaque"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        }
    }

    /// The note's term for the type (字符串类型, 非透明数据类型 ...).
    public var chineseTerm: String {
        switch self {
        case .string: "字符串类型"
        case .opaque: "非透明数据类型"
        case .integer: "整型"
        case .float: "浮点型"
        case .boolean: "布尔型"
        }
    }

    /// The `<len>` values the type accepts.
    public var allowedLengths: ClosedRange<Int64>? {
        switch self {
        case .string: 0...1024
        case .opaque: 0...512
        case .integer, .float, .boolean: nil
        }
    }
}

/// A resource value checked against its `<value_type>` and `<len>` and decoded.
///
/// The rules (NOTES.md, "Lengths and value types"):
/// - 1 string: a quoted string; `<len>` is its length in UTF-8 bytes, 0–1024.
/// - 2 opaque: a quoted hex string, either case, an even number of digits; `<len>` is the number
///   of bytes (digits / 2), 0–512.
/// - 3 integer: an unquoted decimal integer; `<len>` is the encoded width, 2, 4 or 8, and the
///   value must fit in a signed integer of that width.
/// - 4 float: an unquoted decimal number; `<len>` 4 (8 accepted); finite, and within Float's
///   range when `<len>` is 4.
/// - 5 boolean: `<len>` 1, value 0 or 1.
public enum ATTypedValue: Hashable, Sendable {
    case string(String)
    case opaque([UInt8])
    case integer(Int64, width: Int)
    case float(Double, width: Int)
    case boolean(Bool)

    public var valueType: ATValueType {
        switch self {
        case .string: .string
        case .opaque: .opaque
        case .integer: .integer
        case .float: .float
        case .boolean: .boolean
        }
    }

    /// `<len>` as the module writes it for this value.
    public var length: Int {
        switch self {
        case .string(let text): text.utf8.count
        case .opaque(let bytes): bytes.count
        case .integer(_, let width), .float(_, let width): width
        case .boolean: 1
        }
    }

    /// `<value>` as written in a line: strings quoted, opaque as upper-case hex in quotes,
    /// numbers bare.
    public var atValue: ATValue {
        switch self {
        case .string(let text): .string(text)
        case .opaque(let bytes): .string(Self.hex(bytes))
        case .integer(let value, _): .integer(value)
        case .float(let value, _): .token(Self.decimal(value))
        case .boolean(let value): .integer(value ? 1 : 0)
        }
    }

    /// The three fields `<value_type>,<len>,<value>`.
    public var fields: [ATValue] { [.integer(valueType.rawValue), .integer(Int64(length)), atValue] }

    /// Checks `value` against `type` and `length` and decodes it. `allowed` narrows the types
    /// (AT+QLASENDDATA takes only 1 and 2).
    public static func decode(type: Int64, length: Int64, value: ATValue,
                              allowed: Set<ATValueType> = Set(ATValueType.allCases)) throws(ValueMismatch) -> ATTypedValue {
        guard let valueType = ATValueType(rawValue: type) else { throw .unknownType(type) }
        guard allowed.contains(valueType) else {
            throw .typeNotAllowed(valueType, allowed: allowed.map(\.rawValue).sorted())
        }
        switch valueType {
        case .string:
            guard (0...1024).contains(length) else { throw .lengthOutOfRange(valueType, length: length) }
            guard case .string(let text) = value else { throw .expectedQuotedString(found: value.shapeDescription) }
            let actual = text.utf8.count
            guard Int64(actual) == length else { throw .lengthMismatch(declared: length, actual: Int64(actual), unit: "bytes") }
            return .string(text)
        case .opaque:
            guard (0...512).contains(length) else { throw .lengthOutOfRange(valueType, length: length) }
            guard case .string(let text) = value else { throw .expectedQuotedHex(found: value.shapeDescription) }
            let digits = Array(text.utf8)
            if let bad = digits.firstIndex(where: { hexDigit($0) == nil }) { throw .notHex(offset: bad) }
            guard digits.count % 2 == 0 else { throw .oddHexDigits(count: digits.count) }
            guard Int64(digits.count / 2) == length else {
                throw .lengthMismatch(declared: length, actual: Int64(digits.count / 2), unit: "bytes (hex digits / 2)")
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(digits.count / 2)
            var i = 0
            while i + 1 < digits.count {
                bytes.append((hexDigit(digits[i]) ?? 0) << 4 | (hexDigit(digits[i + 1]) ?? 0))
                i += 2
            }
            return .opaque(bytes)
        case .integer:
            guard length == 2 || length == 4 || length == 8 else { throw .lengthOutOfRange(valueType, length: length) }
            guard case .integer(let number) = value else { throw .expectedInteger(found: value.shapeDescription) }
            let bits = Int64(length * 8)
            if bits < 64 {
                let limit = Int64(1) << (bits - 1)
                guard number >= -limit, number < limit else { throw .integerDoesNotFit(number, width: Int(length)) }
            }
            return .integer(number, width: Int(length))
        case .float:
            guard length == 4 || length == 8 else { throw .lengthOutOfRange(valueType, length: length) }
            let number: Double
            switch value {
            case .integer(let integer): number = Double(integer)
            case .token(let text):
                guard let parsed = Double(text), parsed.isFinite, isPlainDecimal(text) else {
                    throw .expectedNumber(found: value.shapeDescription)
                }
                number = parsed
            default: throw .expectedNumber(found: value.shapeDescription)
            }
            if length == 4, !Float(number).isFinite { throw .floatDoesNotFit(Self.decimal(number)) }
            return .float(number, width: Int(length))
        case .boolean:
            guard length == 1 else { throw .lengthOutOfRange(valueType, length: length) }
            guard case .integer(let number) = value, number == 0 || number == 1 else {
                throw .expectedBoolean(found: value.shapeDescription)
            }
            return .boolean(number == 1)
        }
    }

    /// Upper-case hex, as the module prints opaque values.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// Digits, one optional point, optional sign and exponent: refuses `nan`, `inf`, `0x1p3`,
    /// which `Double.init` would take.
    static func isPlainDecimal(_ text: String) -> Bool {
        text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
            || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    static func decimal(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) + ".0" : String(value)
    }
}

/// Why a `<value_type>,<len>,<value>` triple does not hold together. The module answers `ERROR`.
public enum ValueMismatch: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownType(Int64)
    case typeNotAllowed(ATValueType, allowed: [Int64])
    case lengthOutOfRange(ATValueType, length: Int64)
    case lengthMismatch(declared: Int64, actual: Int64, unit: String)
    case expectedQuotedString(found: String)
    case expectedQuotedHex(found: String)
    case notHex(offset: Int)
    case oddHexDigits(count: Int)
    case expectedInteger(found: String)
    case integerDoesNotFit(Int64, width: Int)
    case expectedNumber(found: String)
    case floatDoesNotFit(String)
    case expectedBoolean(found: String)

    public var description: String {
        switch self {
        case .unknownType(let type): "<value_type> \(type) is not one of 1 (string), 2 (opaque), 3 (integer), 4 (float), 5 (boolean)"
        case .typeNotAllowed(let type, let allowed):
            "<value_type> \(type.rawValue) (\(type)) is not accepted here; allowed: \(allowed.map(String.init).joined(separator: ", "))"
        case .lengthOutOfRange(let type, let length):
            switch type {
            case .string: "<len> \(length) is outside 0-1024 for a string"
            case .opaque: "<len> \(length) is outside 0-512 bytes for opaque data"
            case .integer: "<len> \(length) is not 2, 4 or 8 for an integer"
            case .float: "<len> \(length) is not 4 (or 8) for a float"
            case .boolean: "<len> \(length) is not 1 for a boolean"
            }
        case .lengthMismatch(let declared, let actual, let unit): "<len> is \(declared) but <value> has \(actual) \(unit)"
        case .expectedQuotedString(let found): "<value> must be a quoted string for <value_type> 1, found \(found)"
        case .expectedQuotedHex(let found): "<value> must be quoted hex for <value_type> 2, found \(found)"
        case .notHex(let offset): "<value> has a character that is not a hex digit at position \(offset)"
        case .oddHexDigits(let count): "<value> has an odd number of hex digits (\(count))"
        case .expectedInteger(let found): "<value> must be a decimal integer for <value_type> 3, found \(found)"
        case .integerDoesNotFit(let value, let width): "<value> \(value) does not fit in \(width) bytes"
        case .expectedNumber(let found): "<value> must be a decimal number for <value_type> 4, found \(found)"
        case .floatDoesNotFit(let text): "<value> \(text) does not fit in a 4-byte float"
        case .expectedBoolean(let found): "<value> must be 0 or 1 for <value_type> 5, found \(found)"
        }
    }
}
