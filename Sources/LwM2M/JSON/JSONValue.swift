/// A JSON document as a value, for the LwM2M JSON and SenML JSON formats.
///
/// Why our own and not Foundation's JSONSerialization: on Linux it hands numbers back as
/// NSNumber, where `1`, `1.0` and `true` blur together, and 64-bit integers pass through Double.
/// LwM2M needs to tell an integer from a float and keep Int64 exact, and the LwM2M target stays
/// free of Foundation. Numbers therefore keep their text (`number("1.50")`); objects keep key order.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// The number's text exactly as written (valid JSON number syntax).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .number(let n): h.combine(n)
        case .string(let s): h.combine(s)
        case .array(let a): h.combine(a)
        case .object(let o): for (k, v) in o { h.combine(k); h.combine(v) }
        }
    }

    public static func number(_ i: Int64) -> JSONValue { .number(String(i)) }
    public static func number(_ u: UInt64) -> JSONValue { .number(String(u)) }
    /// Non-finite doubles have no JSON form; they become null.
    public static func number(_ d: Double) -> JSONValue { d.isFinite ? .number(d.description) : .null }

    /// The first value under `key` in an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let o) = self else { return nil }
        return o.first { $0.key == key }?.value
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var numberText: String? { if case .number(let n) = self { n } else { nil } }
    /// The number when it is written as an integer that fits Int64.
    public var int64Value: Int64? { numberText.flatMap { Int64($0) } }
    public var doubleValue: Double? { numberText.flatMap { Double($0) } }

    /// Compact JSON text.
    public var serialized: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.write(into: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, kv) in o.enumerated() {
                if i > 0 { out += "," }
                Self.writeString(kv.key, into: &out)
                out += ":"
                kv.value.write(into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where c.value < 0x20:
                let h = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(c)
            }
        }
        out += "\""
    }
}
