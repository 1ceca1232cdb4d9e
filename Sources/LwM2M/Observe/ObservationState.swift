import CoAP

/// The timing state of one observation on the client: what was last notified and when, and
/// whether a significant change is being held back by pmin. Pure: the owner feeds it the
/// current value whenever the target may have changed and whenever `nextWake` is reached, and
/// sends a notification each time `evaluate` says so.
///
/// Contract: the Observe response counts as the first notification. A significant change
/// notifies at once when pmin has elapsed since the last notification, else at exactly
/// last + pmin with the value current then (even if it moved back meanwhile: the change
/// happened). With no significant change, pmax forces a notification at exactly last + pmax.
public struct ObservationState: Hashable, Sendable {
    public var schedule: NotificationSchedule
    public private(set) var lastValue: ObservedValue
    public private(set) var lastNotifiedAt: Instant
    /// A significant change was seen that pmin has not let out yet.
    public private(set) var changePending: Bool = false

    public enum Decision: Hashable, Sendable {
        /// Send a notification carrying this value now; it is recorded as notified.
        case notify(ObservedValue)
        /// Nothing to send now.
        case wait
    }

    public init(schedule: NotificationSchedule, initialValue: ObservedValue, notifiedAt now: Instant) {
        self.schedule = schedule
        self.lastValue = initialValue
        self.lastNotifiedAt = now
    }

    /// Looks at the current value at `now`; afterwards `nextWake` says when to look again.
    public mutating func evaluate(current: ObservedValue, now: Instant) -> Decision {
        if !changePending && schedule.isSignificantChange(from: lastValue, to: current) {
            changePending = true
        }
        let elapsed = now - lastNotifiedAt
        let due = (changePending && elapsed >= schedule.minimumPeriodMilliseconds)
            || (schedule.maximumPeriodMilliseconds.map { elapsed >= $0 } ?? false)
        guard due else { return .wait }
        record(current, at: now)
        return .notify(current)
    }

    /// Records a notification sent outside `evaluate` (for instance a forced one after the
    /// attributes changed); restarts both periods.
    public mutating func record(_ value: ObservedValue, at now: Instant) {
        lastValue = value
        lastNotifiedAt = now
        changePending = false
    }

    /// When the owner must call `evaluate` again even if the value does not change: the end of
    /// pmin while a change is held back, or the end of pmax. Nil when neither applies.
    public var nextWake: Instant? {
        var wake: Instant? = nil
        if changePending { wake = lastNotifiedAt + schedule.minimumPeriodMilliseconds }
        if let pmax = schedule.maximumPeriodMilliseconds {
            let t = lastNotifiedAt + pmax
            wake = wake.map { min($0, t) } ?? t
        }
        return wake
    }
}
