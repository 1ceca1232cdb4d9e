/// Where the log pane looks: following the newest line, or held at an entry by sequence
/// (so the view stays put while new lines arrive and old ones are dropped by the cap).
public struct LogView: Hashable, Sendable {
    public private(set) var follow = true
    /// The sequence of the entry shown at the bottom when not following.
    public private(set) var bottom = 0

    public init() {}

    /// The sequence of the bottom entry for `log`, or nil when the log is empty.
    public func bottomSequence(in log: SessionLog) -> Int? {
        guard let last = log.last?.sequence, let first = log.isEmpty ? nil : log[0].sequence else { return nil }
        return follow ? last : min(max(bottom, first), last)
    }

    public mutating func pageUp(_ log: SessionLog, page: Int) {
        guard let current = bottomSequence(in: log) else { return }
        bottom = max(log[0].sequence, current - max(1, page))
        follow = false
    }

    public mutating func pageDown(_ log: SessionLog, page: Int) {
        guard let current = bottomSequence(in: log), let last = log.last?.sequence else { return }
        bottom = current + max(1, page)
        if bottom >= last { follow = true }
    }

    /// The oldest entries, at the top of the pane.
    public mutating func top(_ log: SessionLog, page: Int) {
        guard !log.isEmpty, let last = log.last?.sequence else { return }
        bottom = min(last, log[0].sequence + max(1, page) - 1)
        follow = bottom >= last
    }

    public mutating func end() { follow = true }

    /// Holds the view where it is (pause); new lines are counted by ``linesBelow(in:)``.
    public mutating func pause(_ log: SessionLog) {
        guard let current = bottomSequence(in: log) else { return }
        bottom = current
        follow = false
    }

    /// Holds the view with the entry of this sequence at the bottom.
    public mutating func hold(at sequence: Int) {
        bottom = sequence
        follow = false
    }

    /// Entries held below the bottom of the view (0 when following).
    public func linesBelow(in log: SessionLog) -> Int {
        guard !follow, let current = bottomSequence(in: log), let last = log.last?.sequence else { return 0 }
        return last - current
    }
}
