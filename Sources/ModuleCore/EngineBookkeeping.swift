import ATProtocol
import CoAP
import LwM2M

/// The accepted lifetime of the current registration and when it was last refreshed (a
/// successful Register, Update or session resume).
struct RegistrationClock: Hashable, Sendable {
    var lifetime: Int64
    var refreshedAt: Instant {
        didSet { automaticUpdateTried = false }
    }
    /// The automatic update for this refresh went out already; a failed one is not retried
    /// (the TE saw `"ping",<code>` and can update by hand before the lifetime runs out).
    var automaticUpdateTried = false

    init(lifetime: Int64, refreshedAt: Instant) {
        self.lifetime = lifetime
        self.refreshedAt = refreshedAt
    }

    var expiresAt: Instant { refreshedAt + lifetime * 1000 }
    var automaticUpdateAt: Instant { refreshedAt + UpdateInterval.milliseconds(forLifetime: lifetime) }
}

/// A request given to the session whose outcome the engine still waits for, with what it needs
/// to print the result.
enum OutstandingRequest: Hashable, Sendable {
    enum UpdateOrigin: Hashable, Sendable {
        /// The lifetime timer: the result prints as `+QLAURC: "ping",<code>`.
        case automatic
        /// AT+QLAUPDATE: `+QLAUPDATE: <code>,<mid>`; applied to the saved configuration on success.
        case command(lifetime: Int64?, binding: ServerConfiguration.Binding?)
    }

    case register
    case update(UpdateOrigin)
    case deregister
    /// AT+QLAADDOBJ / AT+QLADELOBJ while registered; `responseName` is `QLAADDOBJ` or `QLADELOBJ`.
    case updateObjects(responseName: String)
    /// `QLARDRSP`, `QLAOBSRSP`, `QLAWRRSP`, `QLAEXERSP`; nil for the module's own observe answer.
    case respond(responseName: String?)
    /// Stays until acknowledged when `confirmable`.
    case notify(confirmable: Bool)
    /// `QLASENDDATA` or `QLASENDATA`, as typed.
    case send(responseName: String, confirmable: Bool)
    case resume
}

/// A server request announced to the TE and not yet answered, with the parts of a multi-part
/// answer received so far.
struct PendingServerRequest: Hashable, Sendable {
    var request: ServerRequest
    var answer: PartAssembly?
    var answerResult: RequestResult?
}

/// A notification sent in several AT+QLANOTIFY parts.
struct NotifyAssembly: Hashable, Sendable {
    var observedPath: LwM2MPath
    var parts: PartAssembly
}

/// Parts of a value given as N commands with `<index>` N-1 down to 0 (2.8, 2.11, 2.12).
struct PartAssembly: Hashable, Sendable {
    enum Step: Hashable, Sendable {
        case needMore(PartAssembly)
        case complete([ValuePart])
    }

    private(set) var parts: [ValuePart]
    /// The index the next part must carry.
    private(set) var expectedIndex: Int64

    /// The first part: index N-1 announces N parts.
    static func begin(_ part: ValuePart, index: Int64) -> Step {
        index == 0 ? .complete([part]) : .needMore(PartAssembly(parts: [part], expectedIndex: index - 1))
    }

    /// The next part; nil when `index` is not the one expected.
    func adding(_ part: ValuePart, index: Int64) -> Step? {
        guard index == expectedIndex else { return nil }
        let all = parts + [part]
        return index == 0 ? .complete(all) : .needMore(PartAssembly(parts: all, expectedIndex: index - 1))
    }
}

extension LwM2MPath {
    /// `<objectID>,<instantID>,<resourceID>` as URCs print them: -1 for a level the path does
    /// not have (an observe on an instance), as the OneNET-style modules print it.
    var urcFields: (object: Int64, instance: Int64, resource: Int64) {
        (objectID.map { Int64($0) } ?? -1, instanceID.map { Int64($0) } ?? -1, resourceID.map { Int64($0) } ?? -1)
    }
}
