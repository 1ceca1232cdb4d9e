#if canImport(Glibc)
import Glibc  // links libm, which Double rounding (Int64(exactly:)) needs without Foundation
#endif

/// The <NOTIFICATION> attributes a server sets with Write-Attributes (LwM2M 1.0 §5.1.2, 1.1 adds
/// epmin/epmax): minimum and maximum period, greater-than, less-than and step thresholds.
/// Nil means "not set at this level" (a resource inherits from its instance and object).
public struct NotificationAttributes: Hashable, Sendable {
    public var pmin: UInt32?
    public var pmax: UInt32?
    public var greaterThan: Double?
    public var lessThan: Double?
    public var step: Double?
    public var epmin: UInt32?
    public var epmax: UInt32?

    public init(pmin: UInt32? = nil, pmax: UInt32? = nil, greaterThan: Double? = nil, lessThan: Double? = nil,
                step: Double? = nil, epmin: UInt32? = nil, epmax: UInt32? = nil) {
        self.pmin = pmin
        self.pmax = pmax
        self.greaterThan = greaterThan
        self.lessThan = lessThan
        self.step = step
        self.epmin = epmin
        self.epmax = epmax
    }

    public var isEmpty: Bool { self == NotificationAttributes() }

    /// Applies a Write-Attributes query (`["pmin=10", "pmax=60", "gt=50.5", "lt"]`): a name with a
    /// value sets it, a bare name clears it. Unknown names, bad numbers and `cancel` (which
    /// belongs to Observe, not here) are 4.00; nothing changes on error.
    public mutating func apply(query: [String]) throws(OperationError) {
        var next = self
        for item in query {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let raw: String? = parts.count == 2 ? String(parts[1]) : nil
            func uint() throws(OperationError) -> UInt32? {
                guard let raw else { return nil }
                guard let v = UInt32(raw) else { throw .badRequest("\(name) must be an unsigned integer") }
                return v
            }
            func number() throws(OperationError) -> Double? {
                guard let raw else { return nil }
                guard let v = Double(raw), v.isFinite else { throw .badRequest("\(name) must be a number") }
                return v
            }
            switch name {
            case "pmin": next.pmin = try uint()
            case "pmax": next.pmax = try uint()
            case "gt": next.greaterThan = try number()
            case "lt": next.lessThan = try number()
            case "st", "stp": next.step = try number()
            case "epmin": next.epmin = try uint()
            case "epmax": next.epmax = try uint()
            default: throw .badRequest("unknown attribute \(name)")
            }
        }
        if let lt = next.lessThan, let gt = next.greaterThan, let st = next.step, lt + 2 * st >= gt, lt < gt {
            // 1.0 §5.1.2: lt + 2*st must be below gt when all three are set.
            throw .badRequest("lt + 2*st must be less than gt")
        }
        self = next
    }

    /// Own values win; the rest come from `parent` (resource ← instance ← object).
    public func inheriting(from parent: NotificationAttributes) -> NotificationAttributes {
        NotificationAttributes(pmin: pmin ?? parent.pmin, pmax: pmax ?? parent.pmax,
                               greaterThan: greaterThan ?? parent.greaterThan, lessThan: lessThan ?? parent.lessThan,
                               step: step ?? parent.step, epmin: epmin ?? parent.epmin, epmax: epmax ?? parent.epmax)
    }

    /// The attributes as link-format parameters, in the spec's order.
    public var linkAttributes: [Link.Attribute] {
        var a: [Link.Attribute] = []
        if let pmin { a.append(.init("pmin", String(pmin))) }
        if let pmax { a.append(.init("pmax", String(pmax))) }
        if let greaterThan { a.append(.init("gt", Self.format(greaterThan))) }
        if let lessThan { a.append(.init("lt", Self.format(lessThan))) }
        if let step { a.append(.init("st", Self.format(step))) }
        if let epmin { a.append(.init("epmin", String(epmin))) }
        if let epmax { a.append(.init("epmax", String(epmax))) }
        return a
    }

    /// `50` rather than `50.0` for whole numbers.
    static func format(_ d: Double) -> String {
        if abs(d) < 1e15, let i = Int64(exactly: d) { return String(i) }
        return String(d)
    }
}
