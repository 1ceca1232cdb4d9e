/// An AT script: lines to send, lines to expect, waits, as read from a `.at` file by
/// ``ScriptParser``. A value; ``ScriptRunner`` plays it against a module.
///
/// The file format is described in `examples/README.md`; in short:
/// `AT...` or `> text` sends a line, any other line (or `< text`) is a line to expect, `{name}`
/// captures a field that later lines reuse, `? line` is optional, `wait 30s for line` waits
/// longer than the default, `wait 5s` pauses, `timeout 20s` changes the default, `#` and ` //`
/// start comments, a trailing `\` continues a line.
public struct Script: Hashable, Sendable {
    /// The file name used in locations (`ct-iot.at:12`).
    public var name: String
    public var steps: [ScriptStep]

    public init(name: String, steps: [ScriptStep]) {
        self.name = name
        self.steps = steps
    }

    /// How many steps are required expectations (what a pass means).
    public var requiredExpectationCount: Int {
        steps.filter { if case .expect(let expectation) = $0.kind { !expectation.optional } else { false } }.count
    }
}

/// Where a step comes from: the file and the 1-based line (the first physical line of a
/// continued line).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One step of a script.
public struct ScriptStep: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Send the line (with `\r`), after filling in the captures it names.
        case send(LineTemplate)
        /// Wait for a line that matches.
        case expect(Expectation)
        /// Let time pass (milliseconds); lines that arrive meanwhile stay for later expectations.
        case pause(milliseconds: Int64)
    }

    public var location: SourceLocation
    public var kind: Kind

    public init(location: SourceLocation, kind: Kind) {
        self.location = location
        self.kind = kind
    }
}

/// A line the script expects.
public struct Expectation: Hashable, Sendable {
    public var pattern: LinePattern
    /// How long, from the moment the script reaches it, the line may take to arrive
    /// (milliseconds, inclusive: a line at exactly the timeout is in time).
    public var timeoutMilliseconds: Int64
    /// Optional lines never fail and never hold the script up (see ``ScriptRunner``).
    public var optional: Bool

    public init(pattern: LinePattern, timeoutMilliseconds: Int64, optional: Bool = false) {
        self.pattern = pattern
        self.timeoutMilliseconds = timeoutMilliseconds
        self.optional = optional
    }
}
