/// An expected line: literal text with `{name}`, `{=name}`, `{_}` and `{...}` placeholders
/// (see ``ScriptTextPiece``). Surrounding spaces are not significant on either side.
///
/// Contract: ``match(_:captures:)`` is total (never traps, whatever the line holds) and
/// deterministic: when placeholders could split a line in several ways, each placeholder
/// takes the longest text that still lets the rest of the pattern match.
public struct LinePattern: Hashable, Sendable, CustomStringConvertible {
    let pieces: [ScriptTextPiece]
    private let characters: [[Character]]

    public init(_ text: String) {
        pieces = ScriptTextPiece.pieces(of: text.trimmingSpaces())
        characters = pieces.map { if case .literal(let text) = $0 { Array(text) } else { [] } }
    }

    /// Names this pattern captures (`{name}`), in order.
    public var capturedNames: [String] {
        pieces.compactMap { if case .capture(let name) = $0 { name } else { nil } }
    }

    /// Names this pattern compares with earlier captures (`{=name}`), in order.
    public var referencedNames: [String] {
        pieces.compactMap { if case .backReference(let name) = $0 { name } else { nil } }
    }

    /// True when the pattern is a final result: `OK`, `ERROR` or `+CME ERROR: ...`.
    public var isFinalResult: Bool {
        guard case .literal(let text)? = pieces.first else { return false }
        return (pieces.count == 1 && (text == "OK" || text == "ERROR")) || text.hasPrefix("+CME ERROR")
    }

    /// When `line` matches, the captures it binds (new names and rebound ones); nil otherwise.
    /// `captures` supplies the values `{=name}` compares with.
    public func match(_ line: String, captures: [String: String] = [:]) -> [String: String]? {
        let text = Array(line.trimmingSpaces())
        var bound: [String: String] = [:]
        return match(piece: 0, at: 0, in: text, known: captures, bound: &bound) ? bound : nil
    }

    private func match(piece: Int, at position: Int, in text: [Character], known: [String: String],
                       bound: inout [String: String]) -> Bool {
        guard piece < pieces.count else { return position == text.count }
        switch pieces[piece] {
        case .literal:
            let literal = characters[piece]
            guard text.count - position >= literal.count, text[position..<position + literal.count].elementsEqual(literal) else {
                return false
            }
            return match(piece: piece + 1, at: position + literal.count, in: text, known: known, bound: &bound)
        case .backReference(let name):
            guard let value = bound[name] ?? known[name] else { return false }
            let literal = Array(value)
            guard text.count - position >= literal.count, text[position..<position + literal.count].elementsEqual(literal) else {
                return false
            }
            return match(piece: piece + 1, at: position + literal.count, in: text, known: known, bound: &bound)
        case .capture(let name):
            let previous = bound[name]
            for end in stride(from: Self.fieldEnd(text, from: position), through: position, by: -1) {
                bound[name] = String(text[position..<end])
                if match(piece: piece + 1, at: end, in: text, known: known, bound: &bound) { return true }
            }
            bound[name] = previous
            return false
        case .anyField:
            for end in stride(from: Self.fieldEnd(text, from: position), through: position, by: -1) {
                if match(piece: piece + 1, at: end, in: text, known: known, bound: &bound) { return true }
            }
            return false
        case .rest:
            for end in stride(from: text.count, through: position, by: -1) {
                if match(piece: piece + 1, at: end, in: text, known: known, bound: &bound) { return true }
            }
            return false
        }
    }

    /// Where the field that `start` is in ends: the first comma outside double quotes (quotes
    /// counted from the start of the line, so `"{text}"` may hold commas), or the end of the line.
    static func fieldEnd(_ text: [Character], from start: Int) -> Int {
        var quoted = text[..<start].reduce(false) { $1 == "\"" ? !$0 : $0 }
        var index = start
        while index < text.count {
            if text[index] == "\"" { quoted.toggle() } else if text[index] == ",", !quoted { return index }
            index += 1
        }
        return text.count
    }

    public var description: String { pieces.map(\.source).joined() }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
