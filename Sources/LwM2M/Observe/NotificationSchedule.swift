import CoAP

/// The effective notification rules of one observation: attributes after inheritance, with the
/// server's default periods filling what is still unset (LwM2M 1.0 §5.1.2).
///
/// Contract: a change is *significant* when no value condition is set and the content differs,
/// or when a value condition holds between the last notified number and the current one (gt or
/// lt crossed in either direction, or a move of at least st); conditions are OR-ed. A maximum
/// period of 0, or below the minimum period, is ignored, as the specification asks.
public struct NotificationSchedule: Hashable, Sendable {
    public var minimumPeriod: UInt32
    public var maximumPeriod: UInt32?
    public var greaterThan: Double?
    public var lessThan: Double?
    public var step: Double?

    public init(_ attributes: NotificationAttributes, defaultMinimumPeriod: UInt32 = 0,
                defaultMaximumPeriod: UInt32? = nil) {
        let pmin = attributes.pmin ?? defaultMinimumPeriod
        let pmax = attributes.pmax ?? defaultMaximumPeriod
        minimumPeriod = pmin
        if let pmax, pmax > 0, pmax >= pmin { maximumPeriod = pmax } else { maximumPeriod = nil }
        greaterThan = attributes.greaterThan
        lessThan = attributes.lessThan
        step = attributes.step
    }

    var minimumPeriodMilliseconds: Int64 { Int64(minimumPeriod) * 1000 }
    var maximumPeriodMilliseconds: Int64? { maximumPeriod.map { Int64($0) * 1000 } }

    var hasValueConditions: Bool { greaterThan != nil || lessThan != nil || step != nil }

    public func isSignificantChange(from last: ObservedValue, to current: ObservedValue) -> Bool {
        guard hasValueConditions, let a = last.number, let b = current.number else {
            return last != current
        }
        if let gt = greaterThan, (a > gt) != (b > gt) { return true }
        if let lt = lessThan, (a < lt) != (b < lt) { return true }
        if let st = step, abs(b - a) >= st { return true }
        return false
    }
}
