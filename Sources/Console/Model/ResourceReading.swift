import ATProtocol

/// A resource value as the AT lines carry it: `<value_type>` and `<value>` (hex for opaque).
public struct ResourceReading: Hashable, Sendable, CustomStringConvertible {
    public let valueType: Int64
    public let value: ATValue

    public init(valueType: Int64, value: ATValue) {
        self.valueType = valueType
        self.value = value
    }

    /// `<len>` for this value, as the commands require it (bytes of a string, hex digits / 2,
    /// the width of a number).
    public var lengthField: Int64 {
        switch (ATValueType(rawValue: valueType), value) {
        case (.string?, .string(let text)): Int64(text.utf8.count)
        case (.opaque?, .string(let hex)): Int64(hex.utf8.count / 2)
        case (.integer?, _): 4
        case (.float?, _): 4
        case (.boolean?, _): 1
        default: 0
        }
    }

    /// The value for a narrow pane: text quoted, hex marked, numbers bare.
    public var description: String {
        switch (ATValueType(rawValue: valueType), value) {
        case (.opaque?, .string(let hex)): "0x" + hex
        default: value.formatted
        }
    }
}
