import CoAP
import LwM2M

/// A platform's log: every event of its server machine as lines a person reads, numbered and
/// timed. Content (read answers, notifications, Sends) is decoded with `PayloadRendering` and
/// shown indented under the line that carries it.
///
/// Contract: the last `capacity` lines are kept; `lines(after:)` reads without consuming,
/// `take()` hands over the lines not taken before. Sequence numbers never repeat.
public struct PlatformLog: Sendable {
    /// The kept lines, oldest first.
    public var lines: [PlatformLine] { Array(storage[first...]) }
    public var capacity: Int
    private var nextSequence = 1
    private var taken = 0
    /// `storage[first...]` are the kept lines. Lines dropped for capacity are only cut off the
    /// front once `first` has grown to `capacity`, so appending stays O(1) on a full log (a
    /// long run notifies thousands of times).
    private var storage: [PlatformLine] = []
    private var first = 0

    public init(capacity: Int = 5_000) { self.capacity = max(1, capacity) }

    /// The sequence number the next line will get.
    public var upcomingSequence: Int { nextSequence }

    /// Whether `take()` would return lines.
    public var hasUntakenLines: Bool { nextSequence - 1 > taken }  // the newest line is always kept

    /// The kept lines whose sequence is greater than `sequence` (all when nil).
    public func lines(after sequence: Int?) -> [PlatformLine] {
        guard let sequence else { return lines }
        // Lines are kept in sequence order: walk back from the newest, so that taking the few
        // new lines costs nothing for the thousands kept.
        var start = storage.endIndex
        while start > first, storage[start - 1].sequence > sequence { start -= 1 }
        return Array(storage[start...])
    }

    /// The lines not taken before (those dropped for capacity are lost).
    public mutating func take() -> [PlatformLine] {
        let fresh = lines(after: taken)
        taken = nextSequence - 1
        return fresh
    }

    public mutating func append(_ text: String, at now: Instant) {
        storage.append(PlatformLine(sequence: nextSequence, at: now, text: text))
        nextSequence += 1
        if storage.count - first > capacity { first = storage.count - capacity }
        if first >= capacity {
            storage.removeFirst(first)
            first = 0
        }
    }

    public mutating func append(_ texts: [String], at now: Instant) {
        for t in texts { append(t, at: now) }
    }

    /// `registered`: the endpoints registered when the event happened, to mark a Send whose
    /// `?ep=` names none of them.
    public mutating func record(_ event: PlatformMachine.Event, at now: Instant, registered: Set<String>? = nil) {
        if case .server(.sendReceived(let ep?, let content, let values, _)) = event, let registered,
           !registered.contains(ep) {
            append(Self.describeSend(from: "\(ep) (not registered)", content, values), at: now)
        } else {
            append(Self.describe(event), at: now)
        }
    }

    // MARK: - wording

    public static func describe(_ event: PlatformMachine.Event) -> [String] {
        switch event {
        case .server(let e): describe(e)
        case .refused(let ep, let code, let reason, let peer):
            ["refused registration of \(ep) from \(peer): \(name(code)) (\(reason))"]
        case .started(let id, let ep, let op, let reason):
            ["#\(id) \(op) on \(ep) (automatic, \(reason))"]
        }
    }

    static func describe(_ event: LwM2MServer.Event) -> [String] {
        switch event {
        case .registration(let e): describe(e)
        case .bootstrap(let e): describe(e)
        case .operation(let e): describe(e)
        case .sendReceived(let ep, let content, let values, _):
            describeSend(from: ep ?? "an unregistered peer", content, values)
        case .unhandledRequest(let m, let peer):
            ["unanswered \(m.code) \(m.path) from \(peer)"]
        }
    }

    static func describeSend(from sender: String, _ content: EncodedContent, _ values: [ReportedValue]?) -> [String] {
        ["Send from \(sender) (\(content.format), \(content.bytes.count) bytes)"]
            + PayloadRendering.sendLines(content, values: values).map(indent)
    }

    static func describe(_ event: RegistrationDirectory.Event) -> [String] {
        switch event {
        case .registered(let r):
            ["registered \(r.endpoint) from \(r.peer): lifetime \(r.lifetime) s, binding \(r.binding), "
                + "LwM2M \(r.lwm2mVersion), objects \(objects(r))"]
        case .reregistered(let r, let old):
            ["registered \(r.endpoint) again from \(r.peer) (replaces /rd/\(old.id)): lifetime \(r.lifetime) s, "
                + "binding \(r.binding), objects \(objects(r))"]
        case .updated(let r):
            ["update from \(r.endpoint) at \(r.peer): lifetime \(r.lifetime) s, binding \(r.binding), objects \(objects(r))"]
        case .deregistered(let r):
            ["deregistered \(r.endpoint)"]
        case .expired(let r):
            ["registration of \(r.endpoint) expired (lifetime \(r.lifetime) s, last heard \(r.lastHeardAt.seconds) s)"]
        case .rejected(let code, let reason, let peer):
            ["refused a registration request from \(peer): \(name(code)) (\(reason))"]
        }
    }

    static func describe(_ event: BootstrapServer.Event) -> [String] {
        switch event {
        case .requested(let ep, let peer): ["bootstrap request from \(ep) at \(peer)"]
        case .stepDone(let ep, let step, let code): ["bootstrap \(ep): \(step): \(name(code))"]
        case .finished(let ep): ["bootstrap of \(ep) finished"]
        case .failed(let ep, let during, let cause): ["bootstrap of \(ep) failed during \(during): \(cause)"]
        case .rejected(let code, let reason, let peer):
            ["refused a bootstrap request from \(peer): \(name(code)) (\(reason))"]
        }
    }

    static func describe(_ event: DeviceManagement.Event) -> [String] {
        switch event {
        case .completed(let id, let ep, let op, let response):
            ["#\(id) \(op) on \(ep): \(name(response.code))"] + content(response, at: op.path)
        case .failed(let id, let ep, let op, let cause):
            if case .response(let code) = cause { ["#\(id) \(op) on \(ep) failed: \(name(code))"] }
            else { ["#\(id) \(op) on \(ep) failed: \(cause)"] }
        case .queued(let id, let ep, let op):
            ["#\(id) \(op) for \(ep) held until it wakes (queue mode)"]
        case .notification(let id, let ep, let path, let response):
            ["notification #\(id) \(path) from \(ep)" + (response.observe.map { " (seq \($0))" } ?? "")]
                + content(response, at: path)
        case .observationEnded(let id, let ep, let path, let reason):
            ["observation #\(id) of \(path) on \(ep) ended: \(reason)"]
        }
    }

    static func content(_ response: OperationResponse, at path: LwM2MPath) -> [String] {
        guard let c = response.content else { return [] }
        return PayloadRendering.lines(c.bytes, format: c.format, at: path).map(indent)
    }

    static func objects(_ r: Registration) -> String {
        let paths = r.objectPaths
        return paths.isEmpty ? "(none)" : paths.map(\.description).joined(separator: " ")
    }

    static func indent(_ line: String) -> String { "    " + line }

    /// `2.05 Content`, `4.03 Forbidden`: the code with RFC 7252's name for it.
    public static func name(_ code: Code) -> String {
        let names: [Code: String] = [
            .created: "Created", .deleted: "Deleted", .valid: "Valid", .changed: "Changed", .content: "Content",
            .badRequest: "Bad Request", .unauthorized: "Unauthorized", .badOption: "Bad Option",
            .forbidden: "Forbidden", .notFound: "Not Found", .methodNotAllowed: "Method Not Allowed",
            .notAcceptable: "Not Acceptable", .requestEntityIncomplete: "Request Entity Incomplete",
            .preconditionFailed: "Precondition Failed", .requestEntityTooLarge: "Request Entity Too Large",
            .unsupportedContentFormat: "Unsupported Content-Format", .internalServerError: "Internal Server Error",
            .notImplemented: "Not Implemented", .serviceUnavailable: "Service Unavailable",
        ]
        return names[code].map { "\(code) \($0)" } ?? code.description
    }
}
