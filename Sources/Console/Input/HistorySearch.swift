/// Ctrl-R: an incremental search back through the input history, as in a shell.
///
/// Contract: `match` is the index in `history` of the newest line containing `pattern` (case
/// sensitive, as shells do) at or before where the search stands; typing narrows from the
/// current match, Ctrl-R again moves to an older match and stays put when there is none
/// (`failed` says so). `original` is the line that was being typed, given back on cancel.
public struct HistorySearch: Hashable, Sendable {
    public private(set) var pattern = ""
    public private(set) var match: Int?
    public private(set) var failed = false
    public let original: String

    public init(original: String) {
        self.original = original
    }

    /// The matching history line, or nil before anything matched.
    public func line(in history: [String]) -> String? {
        match.flatMap { $0 < history.count ? history[$0] : nil }
    }

    public mutating func type(_ character: Character, history: [String]) {
        pattern.append(character)
        find(history, from: match ?? history.count - 1)
    }

    public mutating func deleteBackward(history: [String]) {
        guard !pattern.isEmpty else { return }
        pattern.removeLast()
        find(history, from: history.count - 1)
    }

    /// The next older match (Ctrl-R pressed again).
    public mutating func older(history: [String]) {
        guard let current = match else { return find(history, from: history.count - 1) }
        guard let older = Self.index(of: pattern, in: history, from: current - 1) else {
            failed = true
            return
        }
        match = older
        failed = false
    }

    private mutating func find(_ history: [String], from start: Int) {
        if let found = Self.index(of: pattern, in: history, from: start) {
            match = found
            failed = false
        } else {
            failed = !pattern.isEmpty
        }
    }

    private static func index(of pattern: String, in history: [String], from start: Int) -> Int? {
        guard start >= 0, !history.isEmpty else { return nil }
        for i in stride(from: min(start, history.count - 1), through: 0, by: -1)
        where pattern.isEmpty || history[i].contains(pattern) {
            return i
        }
        return nil
    }
}
