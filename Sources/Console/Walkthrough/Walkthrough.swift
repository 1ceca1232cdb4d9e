import ATProtocol
import ModuleCore

/// A guided run through one of the note's chapter 4 examples, built from its example script:
/// each line to send starts a step, and the expected lines after it (up to the next line to
/// send) are what the step waits for. The console puts the step's line in the input, the person
/// sends it (or an edited version), and the module's answer is checked the way `bc260 run`
/// checks it: in order, other lines skipped, `{name}` captures kept for later lines.
///
/// Contract: pure; time is only passed in. ``sent(_:)`` and ``received(_:)`` never trap.
/// - A sent line whose command word differs from the step's is a side command: the step does
///   not count it, and its final result (`OK`/`ERROR`) is not matched against the step's
///   (URCs arriving meanwhile still are).
/// - When a final result arrives where the step expects a different one (`ERROR` for `OK`),
///   the step is not passed: ``problem`` says so and the step waits to be sent again.
/// - Optional expected lines (`? line`) never hold a step up. A step is passed once every
///   required expected line has matched; after the last step the walkthrough is finished.
public struct Walkthrough: Sendable {
    public struct Step: Hashable, Sendable {
        public let send: LineTemplate
        public let expected: [Expectation]
        /// The note's own annotations on the step's lines (`//禁用休眠模式。`), in order.
        public let noteComments: [String]
        public let location: SourceLocation
    }

    public enum Phase: Hashable, Sendable {
        /// The step's line is waiting to be sent.
        case ready
        /// Sent; waiting for the expected line at this index of the step.
        case awaiting
        case finished
    }

    public let section: WalkthroughSection
    public let steps: [Step]
    public private(set) var index = 0
    public private(set) var phase: Phase = .ready
    /// Values captured so far (`mid`, `report`), as the script names them.
    public private(set) var captures: [String: String] = [:]
    /// Why the last attempt at the step did not pass, until the step is sent again.
    public private(set) var problem: String?
    /// Expected lines of the current step already matched (an index into `expected`).
    public private(set) var matched = 0
    /// A side command is waiting for its final result.
    private var sideCommandPending = false
    private var problemIsNew = false

    /// Steps from the example script's text. Lines the script expects before its first line to
    /// send (the power-up banner) are not steps; pauses are left to the person.
    public init(section: WalkthroughSection, scriptText: String) throws(ScriptParseError) {
        self.section = section
        let script = try ScriptParser.parse(scriptText, file: section.scriptName)
        let physical = scriptText.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(String.init)
        func comment(_ location: SourceLocation) -> String? {
            guard location.line >= 1, location.line <= physical.count else { return nil }
            return Self.trailingComment(physical[location.line - 1])
        }
        var steps: [Step] = []
        var current: (send: LineTemplate, location: SourceLocation, expected: [Expectation], comments: [String])?
        func close() {
            if let c = current { steps.append(Step(send: c.send, expected: c.expected, noteComments: c.comments, location: c.location)) }
        }
        for step in script.steps {
            switch step.kind {
            case .send(let template):
                close()
                current = (template, step.location, [], comment(step.location).map { [$0] } ?? [])
            case .expect(let expectation):
                current?.expected.append(expectation)
                if let note = comment(step.location) { current?.comments.append(note) }
            case .pause:
                continue
            }
        }
        close()
        self.steps = steps
    }

    public var step: Step? { index < steps.count ? steps[index] : nil }

    /// The line the step sends, captures filled in (nil when finished).
    public var suggestedLine: String? {
        guard let step, case .success(let text) = step.send.render(captures) else { return nil }
        return text
    }

    /// The expected line the step waits for next, as the script writes it.
    public var awaitedLine: String? {
        guard phase == .awaiting, let step, matched < step.expected.count else { return nil }
        return step.expected[matched...].first { !$0.optional }?.pattern.description
    }

    /// `step 3 of 24 · send AT+CGPADDR?` / `... · waiting for +QLAREG: 0` / `finished`.
    public var statusText: String {
        switch phase {
        case .finished: return "\(section.noteSection) finished: all \(steps.count) steps passed"
        case .ready: return "step \(index + 1) of \(steps.count) · send \(suggestedLine ?? "the line")"
        case .awaiting: return "step \(index + 1) of \(steps.count) · waiting for \(awaitedLine ?? "the answer")"
        }
    }

    // MARK: Events

    /// A line the person sent.
    public mutating func sent(_ line: String) {
        guard phase != .finished, let step else { return }
        guard Self.commandWord(line) == Self.commandWord(step.send.description) else {
            sideCommandPending = true
            return
        }
        sideCommandPending = false
        phase = .awaiting
        matched = 0
        problem = nil
        advanceIfPassed()
    }

    /// A line the module printed (echo already removed).
    public mutating func received(_ line: String) {
        let isFinal = Self.isFinalResult(line)
        // The side command's own OK or ERROR is not the step's; URCs still count.
        if sideCommandPending, isFinal {
            sideCommandPending = false
            return
        }
        guard phase == .awaiting, let step else { return }
        var i = matched
        while i < step.expected.count {
            let expectation = step.expected[i]
            if let bound = expectation.pattern.match(line, captures: captures) {
                captures.merge(bound) { _, new in new }
                matched = i + 1
                advanceIfPassed()
                return
            }
            if expectation.optional {
                i += 1
                continue
            }
            if isFinal, expectation.pattern.isFinalResult {
                problemIsNew = true
                problem = "the module answered \(line) where the note expects \(expectation.pattern); edit the line and send it again"
                phase = .ready
                matched = 0
            }
            return
        }
    }

    private mutating func advanceIfPassed() {
        guard let step, !step.expected[matched...].contains(where: { !$0.optional }) else { return }
        index += 1
        matched = 0
        phase = index < steps.count ? .ready : .finished
    }

    // MARK: Pieces

    /// `AT+QLAOBSRSP` of `AT+QLAOBSRSP=1,2`; `AT` of `AT`; upper-cased, an alias
    /// (`AT+QLASENDATA`) as the catalogue names the command.
    static func commandWord(_ line: String) -> String {
        let word = String(line.trimmingSpaces.prefix { $0 != "=" && $0 != "?" && $0 != " " }).uppercased()
        return CommandCatalogue.bc260y.command(named: word)?.name ?? word
    }

    static func isFinalResult(_ line: String) -> Bool {
        let t = line.trimmingSpaces
        return t == "OK" || t == "ERROR" || t.hasPrefix("+CME ERROR")
    }

    /// The text after ` //` outside double quotes, as the note annotates its examples.
    static func trailingComment(_ line: String) -> String? {
        guard let start = ScriptParser.trailingCommentStart(line) else { return nil }
        let text = String(line[start...].dropFirst(2)).trimmingSpaces
        return text.isEmpty ? nil : text
    }
}

extension Walkthrough {
    /// ``problem`` the first time it is asked for after it arose; nil otherwise.
    mutating func takeNewProblem() -> String? {
        defer { problemIsNew = false }
        return problemIsNew ? problem : nil
    }
}
