/// Reads the `.at` script format into a ``Script``.
///
/// Line by line (see `examples/README.md` for the full description):
/// - blank lines and lines starting with `#` are skipped; ` // text` (at the start or after a
///   space, outside double quotes) ends a line with a comment, as in the note's examples;
/// - a line ending in `\` continues on the next (leading spaces there are dropped);
/// - `> text` sends text; a line starting with `AT` (any case) sends itself;
/// - `wait 5s` pauses; `wait 30s for <line>` expects a line within 30 s;
/// - `timeout 20s` is the default wait for the expected lines after it (10 s at the start);
/// - `? <line>` is an optional expected line; `< text` expects text that would otherwise read
///   as a command or directive; any other line is expected as it stands.
/// Durations: a number (decimals allowed) and `ms`, `s`, `m`/`min` or `h`.
///
/// Contract: parsing never traps; the first problem is thrown as a ``ScriptParseError`` naming
/// `file:line`. A name used in a line to send, or in `{=name}`, must be captured by an earlier
/// line of the script, so a misspelt name is caught before anything runs.
public enum ScriptParser {
    public static let defaultTimeoutMilliseconds: Int64 = 10_000

    public static func parse(_ text: String, file: String) throws(ScriptParseError) -> Script {
        var steps: [ScriptStep] = []
        var timeout = defaultTimeoutMilliseconds
        var captured: Set<String> = []
        for logical in try logicalLines(text, file: file) {
            let location = logical.location
            func fail(_ message: String) -> ScriptParseError { ScriptParseError(location: location, message: message) }
            var line = logical.text
            var optional = false
            if line == "?" || line.hasPrefix("? ") {
                optional = true
                line = String(line.dropFirst()).trimmingSpaces()
                guard !line.isEmpty else { throw fail("`?` needs an expected line after it") }
                if isSend(line) || line.hasPrefix(">") || line.hasPrefix("wait ") || line == "wait" || line.hasPrefix("timeout") {
                    throw fail("only an expected line can be optional")
                }
            }
            let kind: ScriptStep.Kind
            if line.hasPrefix(">") {
                let text = String(line.dropFirst()).trimmingSpaces()
                guard !text.isEmpty else { throw fail("`>` needs a line to send") }
                kind = .send(try template(text, captured: captured, location: location))
            } else if isSend(line) {
                kind = .send(try template(line, captured: captured, location: location))
            } else if line.hasPrefix("<") {
                let text = String(line.dropFirst()).trimmingSpaces()
                guard !text.isEmpty else { throw fail("`<` needs a line to expect") }
                kind = .expect(try expectation(text, timeout: timeout, optional: optional, captured: &captured, location: location))
            } else if line == "wait" || line.hasPrefix("wait ") {
                kind = try wait(String(line.dropFirst(4)).trimmingSpaces(), timeout: timeout, captured: &captured, location: location)
            } else if line == "timeout" || line.hasPrefix("timeout ") {
                let argument = String(line.dropFirst(7)).trimmingSpaces()
                guard let duration = ScriptDuration.milliseconds(argument) else {
                    throw fail("`timeout` needs a duration such as 20s or 500ms, not '\(argument)'")
                }
                timeout = duration
                continue
            } else {
                kind = .expect(try expectation(line, timeout: timeout, optional: optional, captured: &captured, location: location))
            }
            steps.append(ScriptStep(location: location, kind: kind))
        }
        return Script(name: file, steps: steps)
    }

    // MARK: Pieces

    private static func isSend(_ line: String) -> Bool {
        line.count >= 2 && line.prefix(2).uppercased() == "AT"
    }

    private static func template(_ text: String, captured: Set<String>, location: SourceLocation) throws(ScriptParseError) -> LineTemplate {
        let template: LineTemplate
        do { template = try LineTemplate(text) } catch { throw ScriptParseError(location: location, message: error.message) }
        if let missing = template.names.first(where: { !captured.contains($0) }) {
            throw ScriptParseError(location: location, message: "{\(missing)} is sent before any line captures it")
        }
        return template
    }

    private static func expectation(_ text: String, timeout: Int64, optional: Bool, captured: inout Set<String>,
                                    location: SourceLocation) throws(ScriptParseError) -> Expectation {
        let pattern = LinePattern(text)
        var known = captured
        for piece in pattern.pieces {
            switch piece {
            case .capture(let name): known.insert(name)
            case .backReference(let name) where !known.contains(name):
                throw ScriptParseError(location: location, message: "{=\(name)} compares with a capture no earlier line makes")
            default: continue
            }
        }
        captured = known
        return Expectation(pattern: pattern, timeoutMilliseconds: timeout, optional: optional)
    }

    /// `5s` or `30s for <line>`.
    private static func wait(_ argument: String, timeout: Int64, captured: inout Set<String>,
                             location: SourceLocation) throws(ScriptParseError) -> ScriptStep.Kind {
        let durationText = argument.prefix { $0 != " " && $0 != "\t" }
        guard let duration = ScriptDuration.milliseconds(String(durationText)) else {
            throw ScriptParseError(location: location, message: "`wait` needs a duration such as 30s or 500ms, not '\(durationText)'")
        }
        let rest = String(argument.dropFirst(durationText.count)).trimmingSpaces()
        if rest.isEmpty { return .pause(milliseconds: duration) }
        guard rest == "for" || rest.hasPrefix("for ") else {
            throw ScriptParseError(location: location, message: "expected `wait <duration>` or `wait <duration> for <line>`")
        }
        let text = String(rest.dropFirst(3)).trimmingSpaces()
        guard !text.isEmpty else { throw ScriptParseError(location: location, message: "`wait ... for` needs a line to expect") }
        return .expect(try expectation(text, timeout: duration, optional: false, captured: &captured, location: location))
    }

    // MARK: Lines

    struct LogicalLine {
        var location: SourceLocation
        var text: String
    }

    /// Physical lines with comments removed, continuations joined and blank lines dropped.
    static func logicalLines(_ text: String, file: String) throws(ScriptParseError) -> [LogicalLine] {
        var result: [LogicalLine] = []
        var pending: LogicalLine?
        // "\r\n" is one Character in Swift: split on both.
        var physical = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if physical.last?.isEmpty == true { physical.removeLast() }   // the newline that ends the file
        for (offset, raw) in physical.enumerated() {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            line = withoutComment(line)
            let location = SourceLocation(file: file, line: offset + 1)
            var current = pending ?? LogicalLine(location: location, text: "")
            current.text += pending == nil ? line : line.trimmingSpaces()
            pending = nil
            if current.text.hasSuffix("\\") {
                current.text.removeLast()
                pending = current
                continue
            }
            current.text = current.text.trimmingSpaces()
            if !current.text.isEmpty { result.append(current) }
        }
        if let pending {
            throw ScriptParseError(location: pending.location, message: "the line ends with `\\` but the file ends before it continues")
        }
        return result
    }

    /// The line without a `#` comment line or a trailing ` // comment` outside double quotes.
    static func withoutComment(_ line: String) -> String {
        if line.trimmingSpaces().hasPrefix("#") { return "" }
        guard let start = trailingCommentStart(line) else { return line }
        return String(line[..<start]).trimmingSpaces().isEmpty ? "" : String(line[..<start])
    }

    /// Where a trailing ` // comment` begins (the first `/`): a `//` outside double quotes after
    /// a space or tab, as the note annotates its examples. Nil when there is none.
    public static func trailingCommentStart(_ line: String) -> String.Index? {
        var quoted = false
        var previous: Character = " "
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if character == "\"" { quoted.toggle() }
            let next = line.index(after: index)
            if !quoted, character == "/", next < line.endIndex, line[next] == "/", previous == " " || previous == "\t" {
                return index
            }
            previous = character
            index = next
        }
        return nil
    }
}

/// A script that cannot be read: where, and why.
public struct ScriptParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Durations in scripts: `500ms`, `30s`, `1.5s`, `2m`, `2min`, `1h`.
public enum ScriptDuration {
    /// Milliseconds, or nil when `text` is not a duration.
    public static func milliseconds(_ text: String) -> Int64? {
        let number = text.prefix { ($0 >= "0" && $0 <= "9") || $0 == "." }
        let unit = text.dropFirst(number.count)
        guard !number.isEmpty, number.first != ".", number.filter({ $0 == "." }).count <= 1,
              number.count <= 12, let value = Double(number) else { return nil }
        let scale: Double
        switch unit {
        case "ms": scale = 1
        case "s": scale = 1000
        case "m", "min": scale = 60_000
        case "h": scale = 3_600_000
        default: return nil
        }
        return Int64((value * scale).rounded())
    }

    /// `30s`, `1.5s`, `250ms`: how scripts and transcripts write a duration.
    public static func format(milliseconds: Int64) -> String {
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        return "\(Double(milliseconds) / 1000)s"
    }
}
