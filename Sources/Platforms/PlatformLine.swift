import CoAP

/// One line of a platform's log: what happened, when, numbered so that a reader that cannot
/// take lines (a host's `afterStep`, which sees the node read-only) can ask for those after
/// the last it printed.
public struct PlatformLine: Hashable, Sendable, CustomStringConvertible {
    /// 1, 2, 3... over the platform's life.
    public var sequence: Int
    public var at: Instant
    public var text: String

    public init(sequence: Int, at: Instant, text: String) {
        self.sequence = sequence
        self.at = at
        self.text = text
    }

    /// `[   12.345] text`: seconds since the platform's clock origin.
    public var description: String {
        let ms = at.milliseconds
        let seconds = String(ms / 1000)
        let fraction = String(abs(ms % 1000))
        let padded = String(repeating: " ", count: max(0, 6 - seconds.count)) + seconds
        return "[\(padded).\(String(repeating: "0", count: 3 - fraction.count) + fraction)] \(text)"
    }
}
