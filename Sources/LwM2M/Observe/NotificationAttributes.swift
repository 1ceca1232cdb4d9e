/// The <NOTIFICATION> attributes of LwM2M 1.0 §5.1.2 attached to an object, an object instance
/// or a resource by Write-Attributes: `pmin`, `pmax` (seconds), `gt`, `lt`, `st`.
///
/// A nil field is "not set here". Values on a resource override its instance's, which override
/// its object's (`inheriting(from:)`); what is still unset after that falls back to the server's
/// default periods (`/1/x/2`, `/1/x/3`) or means "no condition".
public struct NotificationAttributes: Hashable, Sendable, CustomStringConvertible {
    /// Minimum period: no two notifications closer than this many seconds.
    public var pmin: UInt32?
    /// Maximum period: a notification at least this often, changed or not. 0 means none.
    public var pmax: UInt32?
    /// Notify when a numeric value crosses this threshold (either direction).
    public var greaterThan: Double?
    /// Notify when a numeric value crosses this threshold (either direction).
    public var lessThan: Double?
    /// Notify when a numeric value has moved at least this far from the last notified value.
    public var step: Double?

    public init(pmin: UInt32? = nil, pmax: UInt32? = nil,
                greaterThan: Double? = nil, lessThan: Double? = nil, step: Double? = nil) {
        self.pmin = pmin
        self.pmax = pmax
        self.greaterThan = greaterThan
        self.lessThan = lessThan
        self.step = step
    }

    public static let none = NotificationAttributes()

    public var isEmpty: Bool { self == .none }

    /// True when any value condition (gt, lt, st) is set: then only those changes notify.
    public var hasValueConditions: Bool { greaterThan != nil || lessThan != nil || step != nil }

    /// These attributes with every unset field taken from `parent` (a resource inheriting from
    /// its instance, an instance from its object).
    public func inheriting(from parent: NotificationAttributes) -> NotificationAttributes {
        NotificationAttributes(
            pmin: pmin ?? parent.pmin,
            pmax: pmax ?? parent.pmax,
            greaterThan: greaterThan ?? parent.greaterThan,
            lessThan: lessThan ?? parent.lessThan,
            step: step ?? parent.step)
    }

    /// These attributes with a Write-Attributes update applied: set fields replace, reset
    /// fields (`?pmin` with no value) go back to unset, absent fields stay.
    public func applying(_ update: NotificationAttributesUpdate) -> NotificationAttributes {
        var out = self
        update.pmin.apply(to: &out.pmin)
        update.pmax.apply(to: &out.pmax)
        update.greaterThan.apply(to: &out.greaterThan)
        update.lessThan.apply(to: &out.lessThan)
        update.step.apply(to: &out.step)
        return out
    }

    /// The Uri-Query strings that write exactly these attributes (unset fields left out).
    public var queryItems: [String] {
        var q: [String] = []
        if let v = pmin { q.append("pmin=\(v)") }
        if let v = pmax { q.append("pmax=\(v)") }
        if let v = greaterThan { q.append("gt=\(Self.format(v))") }
        if let v = lessThan { q.append("lt=\(Self.format(v))") }
        if let v = step { q.append("st=\(Self.format(v))") }
        return q
    }

    /// Link-format attribute text as Discover shows it: `pmin=10;pmax=60`.
    public var description: String { queryItems.joined(separator: ";") }

    /// Whole numbers without a fraction (`25`, not `25.0`), others as Swift prints them.
    static func format(_ v: Double) -> String {
        if abs(v) < 1e15, v == Double(Int64(v)) { return String(Int64(v)) }
        return String(v)
    }
}
