import ATProtocol
import CoAP

/// Everything the console shows, built only from the lines that cross the AT link, both ways,
/// so a real module on a serial port and the emulated one look the same.
///
/// Contract:
/// - Feed it every line the terminal sends (``sent(_:at:)``), every line the module prints
///   (``received(_:at:)``), and the console's own notes (``note(_:at:)``), in the order they
///   happen. It never fails and never traps on what a module prints.
/// - A command's effects (an added object, a new server configuration, an answered request)
///   apply when the module answers it `OK`; `ERROR` changes nothing.
/// - The echo of a sent line is recognised and not logged twice.
/// - A server request announced by a URC stays in ``pending`` until its answer command gets
///   `OK`; ``suggestedAnswer`` is the command that answers the newest, message id filled in.
public struct SessionModel: Sendable {
    public internal(set) var log: SessionLog
    public internal(set) var objects = ModuleObjectTree()
    public internal(set) var status = ClientStatus()
    /// Server requests not answered yet, oldest first.
    public internal(set) var pending: [ServerRequest] = []
    public let catalogue: CommandCatalogue

    /// The command waiting for its `OK` or `ERROR`, with the information lines seen meanwhile.
    struct InFlight: Sendable {
        var text: String
        var validated: ValidatedCommand?
        var rejection: LineRejection?
        var information: [[ATValue]] = []
    }

    var inFlight: InFlight?
    /// Sent lines whose echo may still come back (oldest first, a few at most).
    var expectedEchoes: [String] = []
    /// The lifetime asked for by an accepted AT+QLAUPDATE=0,<lifetime>, applied on success.
    var requestedLifetime: Int64?

    public init(logCapacity: Int = 10_000, catalogue: CommandCatalogue = .bc260y) {
        log = SessionLog(capacity: logCapacity)
        self.catalogue = catalogue
    }

    /// The command that answers the newest pending request, with its message id filled in.
    public var suggestedAnswer: String? {
        guard let request = pending.last else { return nil }
        let known = request.resourceID >= 0
            ? objects.resource(request.objectID, request.instanceID, request.resourceID)?.lastValue : nil
        return request.suggestedAnswer(knownValue: known)
    }

    public func isPending(messageID: Int64) -> Bool { pending.contains { $0.messageID == messageID } }

    /// True when a pending request addresses this path or a path above it.
    public func isPending(_ o: Int64, _ i: Int64, _ r: Int64) -> Bool {
        pending.contains { p in
            p.objectID == o && (p.instanceID < 0 || (p.instanceID == i && (p.resourceID < 0 || p.resourceID == r)))
        }
    }

    // MARK: Input

    /// A line the terminal sent (without its terminator).
    public mutating func sent(_ text: String, at now: Instant) {
        let trimmed = text.trimmingSpaces
        append(.command, PSKMask.masked(command: trimmed), at: now)
        status.counters.commandsSent += 1
        expectedEchoes.append(trimmed)
        if expectedEchoes.count > 4 { expectedEchoes.removeFirst() }
        switch catalogue.check(trimmed) {
        case .success(let validated): inFlight = InFlight(text: trimmed, validated: validated)
        case .failure(let rejection): inFlight = InFlight(text: trimmed, rejection: rejection)
        }
    }

    /// A line the console says itself.
    public mutating func note(_ text: String, at now: Instant) {
        append(.note, text, at: now)
    }

    /// The link behind the console changed (`emulator`, `/dev/ttyUSB0 115200 connected`).
    public mutating func setLink(_ description: String) {
        status.link = description
    }

    /// A line from the module's output framer.
    public mutating func received(_ line: FramedLine, at now: Instant) {
        switch line.content {
        case .text(let text): received(text, at: now)
        case .tooLong(let count): append(.error, "(a line of \(count) bytes, too long to show)", at: now)
        case .invalid(let reason): append(.error, "(an unreadable line: \(reason))", at: now)
        }
    }

    /// A line the module printed (without framing).
    public mutating func received(_ text: String, at now: Instant) {
        if let echo = expectedEchoes.firstIndex(where: { $0 == text.trimmingSpaces }) {
            expectedEchoes.removeSubrange(...echo)
            return
        }
        let line = ATResponseLine.parse(text)
        switch line {
        case .ok:
            append(.ok, text, at: now)
            status.counters.ok += 1
            finishCommand(accepted: true, at: now)
        case .error:
            append(.error, text, at: now)
            status.counters.errors += 1
            finishCommand(accepted: false, at: now)
        case .information(let name, _) where name == "CME ERROR":
            append(.error, text, at: now)
            status.counters.errors += 1
            finishCommand(accepted: false, at: now)
        case .information(let name, let values):
            if let urc = URC(line) {
                let request = ServerRequest(urc, at: now)
                append(.urc, text, at: now, messageID: request?.messageID)
                handle(urc, request: request, at: now)
            } else {
                append(.result, PSKMask.masked(information: line) ?? text, at: now)
                handleInformation(name, values, at: now)
            }
        case .text:
            append(.result, text, at: now)
        }
    }

    mutating func append(_ kind: LogEntry.Kind, _ text: String, at now: Instant, messageID: Int64? = nil) {
        log.append { LogEntry(sequence: $0, at: now, kind: kind, text: text, messageID: messageID) }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
