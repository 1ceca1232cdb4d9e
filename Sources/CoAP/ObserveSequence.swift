/// The value of the Observe option in a notification: a 24-bit number that grows by one per
/// notification and wraps at 2^24 (RFC 7641 §4.4). `isFresher(than:)` is the client's rule for
/// telling a newer notification from a reordered older one (§3.4).
public struct ObserveSequence: Hashable, Sendable, CustomStringConvertible {
    /// Values live in 0..<2^24; the option is at most 3 bytes.
    public static let modulus: UInt32 = 1 << 24
    /// Half the number space: a jump of 2^23 or more is read as going backwards.
    public static let halfRange: UInt32 = 1 << 23
    /// §3.4: after this long a notification is fresh whatever its number (the server may
    /// have restarted its counter). 128 s in milliseconds.
    public static let freshnessWindow: Int64 = 128_000

    public let value: UInt32

    /// Keeps the low 24 bits, so a counter can be built from any UInt32.
    public init(_ value: UInt32) { self.value = value & (ObserveSequence.modulus - 1) }

    /// Nil when `value` needs more than 3 bytes: such an Observe option is malformed.
    public init?(exactly value: UInt32) {
        guard value < ObserveSequence.modulus else { return nil }
        self.value = value
    }

    /// The next number, wrapping from 2^24-1 to 0.
    public var successor: ObserveSequence { ObserveSequence(value &+ 1) }

    /// RFC 7641 §3.4, the first two clauses: V1 < V2 and V2-V1 < 2^23, or V1 > V2 and
    /// V1-V2 > 2^23, where V1 is `older` and V2 is `self`. Equal numbers are never fresher.
    public func isFresher(than older: ObserveSequence) -> Bool {
        let v1 = older.value, v2 = value
        return (v1 < v2 && v2 - v1 < ObserveSequence.halfRange)
            || (v1 > v2 && v1 - v2 > ObserveSequence.halfRange)
    }

    /// The whole §3.4 rule: a notification numbered `self` received at `now` is fresher than
    /// the last accepted one (`older`, received at `olderReceivedAt`) by number, or because
    /// more than 128 s have passed since that one arrived.
    public func isFresher(than older: ObserveSequence, receivedAt olderReceivedAt: Instant, now: Instant) -> Bool {
        isFresher(than: older) || now - olderReceivedAt > ObserveSequence.freshnessWindow
    }

    public var description: String { "obs=\(value)" }
}
