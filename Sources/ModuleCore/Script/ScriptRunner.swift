import ATProtocol
import CoAP

/// Plays a ``Script`` against a module: a sans-I/O machine fed with the lines the module sends
/// and the time, answering with the lines to send.
///
/// Contract:
/// - ``start(now:)`` begins the run; ``receive(line:now:)`` takes each line from the module
///   (framing removed); ``advance(to:)`` is called when ``nextDeadline`` comes. Each returns
///   the lines to send now (append `\r`) and the new transcript entries. Lines received before
///   `start` (a power-up banner) wait for the script.
/// - Sends go out as soon as every earlier required expectation has held.
/// - A required expectation is met by the first matching line among those received since the
///   previous expectation was met (lines left waiting during a `wait` pause count). Lines that
///   do not match are skipped: URCs and other lines arrive asynchronously. One exception fails
///   at once instead of waiting: a final result (`OK`, `ERROR`, `+CME ERROR`) that differs from
///   an expected final result.
/// - Timeouts are inclusive: a line arriving exactly at the timeout is in time; the expectation
///   fails at the first instant after it (``nextDeadline`` is the timeout plus 1 ms).
/// - An optional expectation never waits and never fails: from when the script reaches it
///   until the next required expectation is met, the first line that matches it is taken (and
///   its captures bound); a line that matches both goes to the optional one, the earlier.
/// - A line equal to a line just sent is that line's echo (ATE1) and is never matched, unless
///   the expectation being waited for matches it.
/// - `{name}` captures bind when their line is taken; a capture is rebound by a later line.
/// - The verdict is final: the first failure names its script line; later calls do nothing.
public struct ScriptRunner: Sendable {
    public let script: Script
    public private(set) var verdict: ScriptVerdict?
    public private(set) var captures: [String: String] = [:]
    public private(set) var transcript: [TranscriptEntry] = []

    private var started = false
    private var position = 0
    /// When the current step became current (set when the previous step finished).
    private var stepStartedAt: Instant?
    private var inbox: [String] = []
    private var pendingOptionals: [Int] = []
    private var pendingEchoes: [String] = []
    /// Lines skipped while waiting for the current expectation, for the failure message.
    private var skipped: [String] = []
    private var pauseAnnounced = false
    private var output = ScriptRunnerOutput()

    public init(script: Script) {
        self.script = script
    }

    public var isFinished: Bool { verdict != nil }

    /// When ``advance(to:)`` has something to do: the end of a pause, or the first instant an
    /// expectation is late. Nil when the run is over or not started.
    public var nextDeadline: Instant? {
        guard started, verdict == nil, position < script.steps.count, let since = stepStartedAt else { return nil }
        switch script.steps[position].kind {
        case .pause(let milliseconds): return since + milliseconds
        case .expect(let expectation): return since + expectation.timeoutMilliseconds + 1
        case .send: return since
        }
    }

    // MARK: Entry points

    public mutating func start(now: Instant) -> ScriptRunnerOutput {
        guard !started else { return takeOutput() }
        started = true
        stepStartedAt = now
        run(now: now)
        return takeOutput()
    }

    public mutating func receive(line: String, now: Instant) -> ScriptRunnerOutput {
        guard verdict == nil else { return takeOutput() }
        if started { run(now: now) }   // catch up: an expectation may have run out before this line
        guard verdict == nil else { return takeOutput() }
        let text = line.trimmingSpaces()
        if let echo = pendingEchoes.firstIndex(of: text), !currentExpectationMatches(text) {
            pendingEchoes.removeFirst(echo + 1)
            record(now, nil, .echo(text))
            return takeOutput()
        }
        record(now, nil, .received(text))
        inbox.append(text)
        if started { run(now: now) }
        return takeOutput()
    }

    public mutating func advance(to now: Instant) -> ScriptRunnerOutput {
        if started { run(now: now) }
        return takeOutput()
    }

    /// Ends the run with a failure at the current line (the link to the module broke).
    public mutating func abort(_ reason: String, now: Instant) -> ScriptRunnerOutput {
        guard verdict == nil else { return takeOutput() }
        let index = min(position, script.steps.count - 1)
        let location = index >= 0 ? script.steps[index].location : SourceLocation(file: script.name, line: 0)
        fail(location, reason, now: now)
        return takeOutput()
    }

    // MARK: Stepping

    private mutating func run(now: Instant) {
        while verdict == nil {
            guard position < script.steps.count else {
                takeOptionals(now: now)
                verdict = .passed(at: now)
                record(now, nil, .passed)
                return
            }
            let step = script.steps[position]
            let since = stepStartedAt ?? now
            stepStartedAt = since
            switch step.kind {
            case .send(let template):
                switch template.render(captures) {
                case .success(let text):
                    output.lines.append(text)
                    pendingEchoes.append(text)
                    if pendingEchoes.count > 16 { pendingEchoes.removeFirst() }
                    record(max(since, now), step.location, .sent(text))
                    finishStep(at: max(since, now))
                case .failure(let missing):
                    fail(step.location, "{\(missing.name)} has no value: the optional line that captures it never came", now: now)
                }
            case .pause(let milliseconds):
                if !pauseAnnounced {
                    pauseAnnounced = true
                    record(since, step.location, .paused(milliseconds: milliseconds))
                }
                takeOptionals(now: now)
                guard now >= since + milliseconds else { return }
                finishStep(at: since + milliseconds)
            case .expect(let expectation) where expectation.optional:
                pendingOptionals.append(position)
                finishStep(at: since)
                takeOptionals(now: now)
            case .expect(let expectation):
                if take(expectation, at: step.location, now: now) {
                    finishStep(at: now)
                    continue
                }
                guard verdict == nil else { return }
                let deadline = since + expectation.timeoutMilliseconds
                guard now > deadline else { return }
                var reason = "`\(expectation.pattern)` did not arrive within \(ScriptDuration.format(milliseconds: expectation.timeoutMilliseconds))"
                if !skipped.isEmpty { reason += " (meanwhile: " + skipped.map { "`\($0)`" }.joined(separator: ", ") + ")" }
                fail(step.location, reason, now: deadline + 1)
            }
        }
    }

    private mutating func finishStep(at time: Instant) {
        position += 1
        stepStartedAt = time
        skipped = []
        pauseAnnounced = false
    }

    /// Looks through the inbox for the expectation; true when a line met it. Lines before it
    /// are skipped (or taken by pending optionals).
    private mutating func take(_ expectation: Expectation, at location: SourceLocation, now: Instant) -> Bool {
        while !inbox.isEmpty {
            let line = inbox.removeFirst()
            if takeByOptional(line, now: now) { continue }
            if let bound = expectation.pattern.match(line, captures: captures) {
                captures.merge(bound) { $1 }
                record(now, location, .matched(line))
                pendingOptionals.removeAll()
                return true
            }
            if expectation.pattern.isFinalResult, ATResponseLine.parse(line).isFinalResult {
                fail(location, "got `\(line)` where `\(expectation.pattern)` was expected", now: now)
                return false
            }
            skipped.append(line)
            if skipped.count > 5 { skipped.removeFirst() }
        }
        return false
    }

    /// Offers every waiting line to the pending optional expectations; lines none takes stay.
    private mutating func takeOptionals(now: Instant) {
        guard !pendingOptionals.isEmpty else { return }
        inbox = inbox.filter { !takeByOptional($0, now: now) }
    }

    private mutating func takeByOptional(_ line: String, now: Instant) -> Bool {
        for (offset, index) in pendingOptionals.enumerated() {
            guard case .expect(let expectation) = script.steps[index].kind,
                  let bound = expectation.pattern.match(line, captures: captures) else { continue }
            captures.merge(bound) { $1 }
            record(now, script.steps[index].location, .matched(line))
            pendingOptionals.remove(at: offset)
            return true
        }
        return false
    }

    private func currentExpectationMatches(_ line: String) -> Bool {
        guard position < script.steps.count, case .expect(let expectation) = script.steps[position].kind else { return false }
        return expectation.pattern.match(line, captures: captures) != nil
    }

    private mutating func fail(_ location: SourceLocation, _ reason: String, now: Instant) {
        let failure = ScriptFailure(location: location, reason: reason, at: now)
        verdict = .failed(failure)
        record(now, location, .failed(failure))
    }

    private mutating func record(_ time: Instant, _ location: SourceLocation?, _ kind: TranscriptEntry.Kind) {
        let entry = TranscriptEntry(time: time, location: location, kind: kind)
        transcript.append(entry)
        output.entries.append(entry)
    }

    private mutating func takeOutput() -> ScriptRunnerOutput {
        defer { output = ScriptRunnerOutput() }
        return output
    }
}

/// What one call into ``ScriptRunner`` produced.
public struct ScriptRunnerOutput: Hashable, Sendable {
    /// Lines to send now, in order, without their `\r`.
    public var lines: [String] = []
    /// Transcript entries made by this call, in order.
    public var entries: [TranscriptEntry] = []

    public init() {}

    /// The lines as bytes for the link: each followed by `\r`, as a terminal sends them.
    public var bytes: [UInt8] { lines.flatMap { Array($0.utf8) + [0x0D] } }
}
