import CoAP

/// How a script run ended.
public enum ScriptVerdict: Hashable, Sendable {
    /// Every required expectation held; the run ended at this instant.
    case passed(at: Instant)
    case failed(ScriptFailure)

    public var passed: Bool { if case .passed = self { true } else { false } }
    public var failure: ScriptFailure? { if case .failed(let failure) = self { failure } else { nil } }
}

/// The first line of a script that did not hold, and why.
public struct ScriptFailure: Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var reason: String
    public var at: Instant

    public init(location: SourceLocation, reason: String, at: Instant) {
        self.location = location
        self.reason = reason
        self.at = at
    }

    /// `ct-iot.at:25: ...`
    public var description: String { "\(location): \(reason)" }
}

/// One event of a run, for the transcript a person reads.
public struct TranscriptEntry: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A line the script sent (without its `\r`).
        case sent(String)
        /// A line that arrived from the module.
        case received(String)
        /// A line that arrived and is the echo of a line just sent.
        case echo(String)
        /// An expectation (at ``TranscriptEntry/location``) was met by this line.
        case matched(String)
        /// A pause began.
        case paused(milliseconds: Int64)
        case passed
        case failed(ScriptFailure)
    }

    public var time: Instant
    /// The script line behind the entry (sends, matches, pauses, verdicts).
    public var location: SourceLocation?
    public var kind: Kind

    public init(time: Instant, location: SourceLocation? = nil, kind: Kind) {
        self.time = time
        self.location = location
        self.kind = kind
    }
}
