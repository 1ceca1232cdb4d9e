/// A point in time in milliseconds since an arbitrary origin. The sans-I/O machines take it as
/// an argument and never read a clock themselves, so tests can run in virtual time.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static let zero = Instant(milliseconds: 0)
    public static func < (a: Instant, b: Instant) -> Bool { a.milliseconds < b.milliseconds }
    public static func + (a: Instant, ms: Int64) -> Instant { Instant(milliseconds: a.milliseconds + ms) }
    public static func - (a: Instant, b: Instant) -> Int64 { a.milliseconds - b.milliseconds }
    public static func seconds(_ s: Double) -> Instant { Instant(milliseconds: Int64(s * 1000)) }
    /// The earlier of two optional deadlines (nil: none). The `nextDeadline` getters run before
    /// every step of a virtual-time loop; this keeps them free of arrays.
    public static func earliest(_ a: Instant?, _ b: Instant?) -> Instant? {
        guard let a else { return b }
        guard let b else { return a }
        return b < a ? b : a
    }

    public var seconds: Double { Double(milliseconds) / 1000 }
    public var description: String { "t=\(seconds)s" }
}
