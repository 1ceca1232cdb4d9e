import CoAP

/// How the log pane shows the session: the timestamp style, which kinds of line it shows, and
/// the pattern it highlights and searches for.
///
/// Contract: the filter keeps context: a command whose kind is filtered out is still shown
/// (marked as context) when a shown line came after it and before the next command, so a
/// filtered URC or ERROR is seen next to the command it followed. Search is a plain,
/// case-insensitive substring match over the shown kinds (context lines are not searched).
public struct LogDisplay: Hashable, Sendable {
    public enum Timestamps: String, Hashable, Sendable, CaseIterable {
        /// Wall-clock time of day, `HH:MM:SS.mmm`.
        case clock
        /// Time since the previous line, `+s.mmm`.
        case delta
        /// Time since the session began, `mm:ss.mmm`.
        case elapsed
    }

    public var timestamps: Timestamps = .clock
    /// The kinds of line shown (all of them: no filter).
    public var kinds: Set<LogEntry.Kind> = Set(LogEntry.Kind.allCases)
    /// The search pattern (empty: none).
    public var search = ""
    /// The sequence of the match the last search step went to; nil before one, or when the
    /// last step found nothing (`searchFailed`).
    public var currentMatch: Int?
    public var searchFailed = false
    /// The wall-clock time of day at `Instant.zero`, in milliseconds since local midnight (the
    /// driver sets it; the renderer stays pure).
    public var clockOrigin: Int64 = 0

    public init() {}

    public var isFiltering: Bool { kinds.count < LogEntry.Kind.allCases.count }

    public mutating func cycleTimestamps() {
        let all = Timestamps.allCases
        timestamps = all[((all.firstIndex(of: timestamps) ?? 0) + 1) % all.count]
    }

    /// Shows or hides one kind; hiding the last shown kind shows them all again.
    public mutating func toggle(_ kind: LogEntry.Kind) {
        if kinds.contains(kind) { kinds.remove(kind) } else { kinds.insert(kind) }
        if kinds.isEmpty { kinds = Set(LogEntry.Kind.allCases) }
    }

    /// The letter that toggles each kind in the filter prompt.
    public static let filterKeys: [(key: Character, kind: LogEntry.Kind)] = [
        ("c", .command), ("o", .ok), ("e", .error), ("r", .result), ("u", .urc), ("n", .note),
    ]

    /// A short description of the filter, for the pane's title: the shorter of the kinds
    /// shown or hidden ("only error urc", "hide note"), `+ctx` when hidden commands come back
    /// as context.
    public var filterSummary: String {
        guard isFiltering else { return "all" }
        let shown = Self.filterKeys.filter { kinds.contains($0.kind) }.map(\.kind.rawValue)
        let hidden = Self.filterKeys.filter { !kinds.contains($0.kind) }.map(\.kind.rawValue)
        let text = shown.count <= hidden.count ? "only " + shown.joined(separator: " ") : "hide " + hidden.joined(separator: " ")
        return kinds.contains(.command) ? text : text + " +ctx"
    }

    // MARK: Walking the shown lines

    /// Walks the shown entries from index `start` (inclusive) towards the oldest, giving each
    /// with whether it is only context; stops when `body` returns false.
    public func walkBackward(_ log: SessionLog, from start: Int, _ body: (_ index: Int, _ context: Bool) -> Bool) {
        guard !log.isEmpty else { return }
        var needsContext = false
        // A shown line just below `start` still wants its command: look forward to the next command.
        if isFiltering, !kinds.contains(.command) {
            var i = start + 1
            while i < log.count, log[i].kind != .command {
                if kinds.contains(log[i].kind) { needsContext = true; break }
                i += 1
            }
        }
        var index = min(start, log.count - 1)
        while index >= 0 {
            let kind = log[index].kind
            if kinds.contains(kind) {
                if !body(index, false) { return }
                needsContext = kind != .command
            } else if kind == .command {
                if needsContext, !body(index, true) { return }
                needsContext = false
            }
            index -= 1
        }
    }

    /// The index `steps` shown entries older (or newer, with negative `steps`) than `index`,
    /// stopping at the ends; context lines count as shown.
    public func index(_ log: SessionLog, from index: Int, movingBack steps: Int) -> Int {
        guard !log.isEmpty else { return 0 }
        if steps >= 0 {
            var result = index
            var left = steps
            walkBackward(log, from: index) { i, _ in
                result = i
                if left == 0 { return false }
                left -= 1
                return true
            }
            return result
        }
        var result = min(index, log.count - 1)
        var left = -steps
        var i = result + 1
        while i < log.count, left > 0 {
            if kinds.contains(log[i].kind) || log[i].kind == .command {
                result = i
                left -= 1
            }
            i += 1
        }
        return left > 0 ? log.count - 1 : result
    }

    // MARK: Search

    public func matches(_ text: String) -> Bool {
        !search.isEmpty && !Self.occurrences(of: search, in: text).isEmpty
    }

    /// The nearest entry at or before index `start` (older: true) or after it (older: false)
    /// that is shown and matches, as an index.
    public func match(in log: SessionLog, from start: Int, older: Bool) -> Int? {
        guard !search.isEmpty, !log.isEmpty else { return nil }
        let indices: StrideThrough<Int> = older
            ? stride(from: min(start, log.count - 1), through: 0, by: -1)
            : stride(from: max(0, start), through: log.count - 1, by: 1)
        for i in indices where kinds.contains(log[i].kind) && matches(log[i].text) { return i }
        return nil
    }

    /// Column ranges (in characters) where `pattern` occurs in `text`, case-insensitive, not
    /// overlapping.
    public static func occurrences(of pattern: String, in text: String) -> [Range<Int>] {
        let needle = Array(pattern.lowercased())
        let hay = Array(text.lowercased())
        // Lowercasing that changes the length (rare outside ASCII) would misplace highlights.
        guard !needle.isEmpty, hay.count == text.count, needle.count <= hay.count else { return [] }
        var result: [Range<Int>] = []
        var i = 0
        while i + needle.count <= hay.count {
            if hay[i..<(i + needle.count)].elementsEqual(needle) {
                result.append(i..<(i + needle.count))
                i += needle.count
            } else {
                i += 1
            }
        }
        return result
    }

    // MARK: Timestamps

    /// The timestamp of `log[index]` in the current style, 12 columns at most.
    public func timestamp(_ log: SessionLog, index: Int) -> String {
        let at = log[index].at.milliseconds
        switch timestamps {
        case .clock:
            let day: Int64 = 86_400_000
            let t = ((clockOrigin + at) % day + day) % day
            return Self.pad(t / 3_600_000, 2) + ":" + Self.pad(t / 60_000 % 60, 2) + ":" + Self.pad(t / 1000 % 60, 2)
                + "." + Self.pad(t % 1000, 3)
        case .delta:
            let previous = index > 0 ? log[index - 1].at.milliseconds : at
            let d = min(max(0, at - previous), 99_999_999)
            return "+" + String(d / 1000) + "." + Self.pad(d % 1000, 3)
        case .elapsed:
            let ms = max(0, at)
            return Self.pad(ms / 60_000, 2) + ":" + Self.pad(ms / 1000 % 60, 2) + "." + Self.pad(ms % 1000, 3)
        }
    }

    static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
