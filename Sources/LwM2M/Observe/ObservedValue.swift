/// One sample of an observed target as an observation compares it: the encoded content the
/// notification would carry, and the number it holds when the target is a numeric resource
/// (only then do gt, lt and st apply).
public struct ObservedValue: Hashable, Sendable {
    public var content: [UInt8]
    public var number: Double?

    public init(content: [UInt8], number: Double? = nil) {
        self.content = content
        self.number = number
    }

    /// A numeric resource sample; the content is the plain-text form of the number.
    public static func numeric(_ v: Double) -> ObservedValue {
        ObservedValue(content: Array(NotificationAttributes.format(v).utf8), number: v)
    }

    public static func text(_ s: String) -> ObservedValue { ObservedValue(content: Array(s.utf8)) }
}
