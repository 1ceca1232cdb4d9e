/// The AT input line: insertion and deletion at a cursor, movement, and a history walked with
/// up and down.
///
/// Contract: the cursor stays within 0...count; `submit()` returns the line, adds it to the
/// history (not twice in a row, never blank) and clears the editor; walking the history keeps
/// the half-typed line and gives it back past the newest entry. The history keeps at most
/// `historyLimit` lines.
public struct LineEditor: Hashable, Sendable {
    public private(set) var characters: [Character] = []
    public private(set) var cursor = 0
    public private(set) var history: [String]
    public let historyLimit: Int
    /// Position while walking the history (nil: editing the current line).
    private var historyIndex: Int?
    private var stash: [Character] = []

    public init(history: [String] = [], historyLimit: Int = 1000) {
        self.historyLimit = max(1, historyLimit)
        self.history = Array(history.suffix(self.historyLimit))
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }
    /// The text left of the cursor.
    public var textBeforeCursor: String { String(characters[..<cursor]) }

    /// Replaces the line, cursor at the end.
    public mutating func setText(_ text: String) {
        characters = Array(text)
        cursor = characters.count
        historyIndex = nil
    }

    /// Applies an editing key; returns false for keys the editor does not handle.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let c): insert(String(c))
        case .backspace:
            guard cursor > 0 else { break }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete, .control("d"):
            guard cursor < characters.count else { break }
            characters.remove(at: cursor)
        case .left, .control("b"): cursor = max(0, cursor - 1)
        case .right, .control("f"): cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .control("u"):
            characters.removeSubrange(..<cursor)
            cursor = 0
        case .control("k"): characters.removeSubrange(cursor...)
        case .up: previousInHistory()
        case .down: nextInHistory()
        default: return false
        }
        return true
    }

    public mutating func insert(_ text: String) {
        characters.insert(contentsOf: text, at: cursor)
        cursor += text.count
    }

    /// Replaces the text left of the cursor's last `count` characters with `replacement`.
    public mutating func replaceBeforeCursor(count: Int, with replacement: String) {
        let start = max(0, cursor - count)
        characters.replaceSubrange(start..<cursor, with: replacement)
        cursor = start + replacement.count
    }

    /// The line to send; the editor is cleared and the line remembered.
    public mutating func submit() -> String {
        let line = text
        if !line.allSatisfy(\.isWhitespace), history.last != line {
            history.append(line)
            if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        }
        characters = []
        cursor = 0
        historyIndex = nil
        stash = []
        return line
    }

    private mutating func previousInHistory() {
        guard !history.isEmpty else { return }
        let index: Int
        if let current = historyIndex {
            index = max(0, current - 1)
        } else {
            stash = characters
            index = history.count - 1
        }
        historyIndex = index
        characters = Array(history[index])
        cursor = characters.count
    }

    private mutating func nextInHistory() {
        guard let current = historyIndex else { return }
        if current + 1 < history.count {
            historyIndex = current + 1
            characters = Array(history[current + 1])
        } else {
            historyIndex = nil
            characters = stash
        }
        cursor = characters.count
    }
}
